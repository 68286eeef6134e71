package dev.sluice.deploy;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Paths and helpers shared by the deploy/ integration tests. */
final class Deploy {
    static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(60);

    private Deploy() {
    }

    /** How many CPUs this process may run on (its affinity, as the per-CPU generator counts them). */
    static int allowedCpus() {
        String list = lines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
        int count = 0;
        for (String range : list.split(",")) {
            String[] ends = range.split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
    }

    static Path dir() {
        return Sluice.root().resolve("deploy");
    }

    /**
     * Runs deploy/install.sh with PREFIX and SYSCONFDIR under {@code prefixRoot} (no DESTDIR, no
     * system changes), so the installed units name real paths that systemd-analyze can check.
     */
    static Path installUnder(Path prefixRoot) {
        List<String> command = List.of("env", "SLUICE_INSTALL_SYSTEM=no",
                "PREFIX=" + prefixRoot.resolve("usr"), "SYSCONFDIR=" + prefixRoot.resolve("etc"),
                dir().resolve("install.sh").toString());
        ExternalProcess.run("install.sh", command, INSTALL_TIMEOUT).assertExit(0);
        return prefixRoot.resolve("usr/lib/systemd/system");
    }

    /** A unit file's [Section] Key=value assignments, in order; repeated keys keep every value. */
    static Map<String, List<String>> directives(Path unit) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        String section = "";
        for (String raw : lines(unit)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int eq = line.indexOf('=');
            result.computeIfAbsent(section + line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return result;
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
