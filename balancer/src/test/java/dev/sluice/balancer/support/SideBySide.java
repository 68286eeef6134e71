package dev.sluice.balancer.support;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts one side of a differential test on the same configuration file: Debian's haproxy in the
 * foreground ({@code -db}), or our balancer through {@code scripts/balancer}. The caller stops it
 * (try-with-resources).
 */
public final class SideBySide {

    private SideBySide() {
    }

    public static ExternalProcess start(boolean haproxy, Path config) {
        return start(haproxy, config, Map.of());
    }

    /** @param environment variables added to the process's environment */
    public static ExternalProcess start(boolean haproxy, Path config, Map<String, String> environment) {
        List<String> command = haproxy ? List.of(Sluice.tool("haproxy"), "-db", "-f", config.toString())
                : Sluice.command("balancer", "-f", config.toString());
        return ExternalProcess.start(haproxy ? "haproxy" : "balancer", command, environment, null);
    }
}
