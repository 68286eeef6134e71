package dev.sluice.terminator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LauncherIT {

    @Test
    void launcherRunsTheBuiltBinary() {
        ExternalProcess.Result result = ExternalProcess
                .run("terminator --version", Sluice.command("terminator", "--version"), Duration.ofSeconds(60))
                .assertExit(0);
        assertTrue(result.output().contains("sluice-terminator "), result.output());
    }
}
