package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.support.SideBySide;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code setenv}, {@code presetenv}, {@code unsetenv} and {@code resetenv} on the real processes:
 * the same file, started with the same environment, makes Debian's haproxy 2.6 and our balancer
 * listen on the same expanded ports and answer the same expanded strings.
 */
class EnvironmentDifferentialIT {
    private static final Duration START = Duration.ofSeconds(20);

    private static final String CONFIG = """
            global
                setenv PORT1 %1$d
                presetenv PORT1 1
                presetenv PORT2 %2$d
                setenv GONE gone
                unsetenv GONE
                setenv MSG "p=${PORT1}"
            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend one
                bind "127.0.0.1:${PORT1}"
                http-request return status 200 content-type text/plain string "${MSG} g=${GONE} f=${FROM_PARENT}"
            global
                resetenv PORT2 KEPT
            frontend two
                bind "127.0.0.1:${PORT2}"
                http-request return status 200 content-type text/plain string "m=${MSG} k=${KEPT} f=${FROM_PARENT}"
            """;

    @TempDir
    Path dir;

    @Test
    void bothExpandTheSameVariablesLineByLine() throws Exception {
        List<String> theirs = run(true);
        List<String> ours = run(false);
        assertEquals(List.of("p=PORT1 g= f=parent", "m= k=kept f="), theirs.stream()
                .map(body -> body.replaceFirst("p=\\d+", "p=PORT1")).toList(), "haproxy's own behaviour");
        assertEquals(theirs.stream().map(body -> body.replaceFirst("p=\\d+", "p=PORT1")).toList(),
                ours.stream().map(body -> body.replaceFirst("p=\\d+", "p=PORT1")).toList());
    }

    /** The two answers of one process started with FROM_PARENT and KEPT in its environment. */
    private List<String> run(boolean haproxy) throws Exception {
        int first = Ports.free();
        int second = Ports.free();
        Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs.cfg" : "ours.cfg"), CONFIG.formatted(first, second));
        Map<String, String> env = Map.of("FROM_PARENT", "parent", "KEPT", "kept");
        try (ExternalProcess process = SideBySide.start(haproxy, cfg, env)) {
            process.awaitListening("127.0.0.1", first, START).awaitListening("127.0.0.1", second, START);
            return List.of(curl(first), curl(second));
        }
    }

    private static String curl(int port) {
        return ExternalProcess.run("curl", List.of("curl", "-sS", "--max-time", "5", "http://127.0.0.1:" + port + "/"),
                Duration.ofSeconds(10)).assertExit(0).output();
    }
}
