package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The benchmark is not a test; this only proves {@code scripts/bench/run --smoke} works end to end. */
class BenchSmokeIT {
    // Issue 11: the smoke run, every workload for both systems, ends within two minutes.
    private static final Duration SMOKE_LIMIT = Duration.ofMinutes(2);

    @Test
    void smokeRunMeasuresEveryWorkloadForBothSystems() {
        List<String> command = Sluice.command("bench/run", "--smoke");
        ExternalProcess.Result result = ExternalProcess.run("bench --smoke", command, SMOKE_LIMIT).assertExit(0);
        String output = result.output();
        assertTrue(output.contains("bench: smoke run complete"), output);
        String workloads = ExternalProcess.run("bench --list", Sluice.command("bench/run", "--list"),
                Duration.ofSeconds(30)).assertExit(0).output();
        for (String workload : workloads.strip().split("\n")) {
            Pattern figure = Pattern.compile("(?m)^" + Pattern.quote(workload)
                    + "\\s+(\\S+)\\s+ours\\s+(\\S+)\\s+\\S+\\s+(\\S+)\\s+ratio");
            Matcher matcher = figure.matcher(output);
            int figures = 0;
            while (matcher.find()) {
                figures++;
                for (String value : Arrays.asList(matcher.group(2), matcher.group(3))) {
                    double number = Double.parseDouble(value);
                    // A one-second run can see the heap shrink (memory deltas below zero), never a NaN or no traffic.
                    assertTrue(Double.isFinite(number), workload + " " + matcher.group(1) + " = " + value + "\n" + output);
                    if (matcher.group(1).endsWith("_per_s")) {
                        assertTrue(number > 0, workload + " " + matcher.group(1) + " = " + value + "\n" + output);
                    }
                }
            }
            assertTrue(figures >= 1, "no figures for " + workload + "\n" + output);
        }
        assertEquals(0, output.lines().filter(line -> line.contains("exited before listening")).count(), output);
    }
}
