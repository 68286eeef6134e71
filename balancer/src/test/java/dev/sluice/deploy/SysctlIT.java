package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/sysctl: every setting has its reason in a comment, names a real key, and the kernel
 * takes it. Network-namespaced keys are applied with "sysctl -p" inside a fresh network namespace
 * (never on the host) and read back; the few host-wide keys are only checked to exist.
 */
class SysctlIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Keys the kernel keeps for the whole host, not per network namespace. */
    private static final Set<String> HOST_WIDE = Set.of("net.core.netdev_max_backlog");

    @ParameterizedTest
    @ValueSource(strings = {"99-sluice.conf", "99-sluice-router.conf"})
    void everySettingIsExplainedAndTakenByTheKernel(String name) throws Exception {
        Map<String, String> settings = parse(Deploy.dir().resolve("sysctl").resolve(name));
        assertFalse(settings.isEmpty());
        Path namespaced = Files.createTempFile("sluice-sysctl-", ".conf");
        String netns = "sluice-sysctl-" + ProcessHandle.current().pid();
        try {
            List<String> lines = new ArrayList<>();
            settings.forEach((key, value) -> {
                if (HOST_WIDE.contains(key)) {
                    assertTrue(Files.isReadable(procPath(key)), key + " does not exist on this kernel");
                } else {
                    lines.add(key + " = " + value);
                }
            });
            Files.write(namespaced, lines);
            ExternalProcess.run("ip netns add", List.of("ip", "netns", "add", netns), TIMEOUT).assertExit(0);
            List<String> inNetns = List.of("nsenter", "--net=/run/netns/" + netns);
            List<String> apply = new ArrayList<>(inNetns);
            apply.addAll(List.of("sysctl", "-p", namespaced.toString()));
            ExternalProcess.Result applied = ExternalProcess.run("sysctl -p", apply, TIMEOUT);
            assertEquals(0, applied.exit(), applied.output());
            for (String line : lines) {
                String key = line.substring(0, line.indexOf(' '));
                List<String> read = new ArrayList<>(inNetns);
                read.addAll(List.of("sysctl", "-n", key));
                String actual = ExternalProcess.run("sysctl -n", read, TIMEOUT).assertExit(0).output();
                assertEquals(normalize(settings.get(key)), normalize(actual), key);
            }
        } finally {
            ExternalProcess.run("ip netns del", List.of("ip", "netns", "del", netns), TIMEOUT);
            Files.deleteIfExists(namespaced);
        }
    }

    /** KEY = VALUE lines; each run of settings must follow a comment that gives the reason. */
    private static Map<String, String> parse(Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        String previous = "";
        for (String raw : Deploy.lines(file)) {
            String line = raw.strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                assertTrue(eq > 0, file + ": not KEY = VALUE: " + line);
                String key = line.substring(0, eq).strip();
                // Either right under its comment, or in a run of settings that one comment explains.
                assertFalse(previous.isEmpty(), file + ": " + key + " has no comment giving its reason");
                assertFalse(settings.containsKey(key), file + ": " + key + " set twice");
                settings.put(key, line.substring(eq + 1).strip());
            }
            previous = line;
        }
        return settings;
    }

    private static Path procPath(String key) {
        return Path.of("/proc/sys", key.replace('.', '/'));
    }

    /** The kernel prints hex as decimal and separates fields with tabs. */
    private static String normalize(String value) {
        String v = value.strip().replaceAll("\\s+", " ");
        return v.startsWith("0x") ? Long.toString(Long.parseLong(v.substring(2), 16)) : v;
    }
}
