package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.runtime.BackendPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minconn}/{@code maxconn} settling and the default {@code fullconn}, checked against HAProxy 2.6's rules. */
class ServerLimitsTest {

    @Test
    void minconnAndMaxconnSettleAsHaproxyDoes() {
        assertEquals(new ServerLimits(0, 0), ServerLimits.of(0, 0));
        assertEquals(new ServerLimits(10, 10), ServerLimits.of(0, 10));
        assertEquals(new ServerLimits(3, 10), ServerLimits.of(3, 10));
        assertEquals(new ServerLimits(7, 7), ServerLimits.of(7, 0));
        assertEquals(new ServerLimits(12, 12), ServerLimits.of(12, 10));
    }

    @Test
    void defaultFullconnIsATenthOfTheFrontendsThatReachTheBackend(@TempDir Path dir) throws Exception {
        // The same shape haproxy 2.6 reported slim 1099 for: (9985 + 1000 + 9) / 10 with a 9985 global limit.
        Path file = dir.resolve("t.cfg");
        Files.writeString(file, """
                global
                    maxconn 9985
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                frontend f1
                    bind 127.0.0.1:18301
                    default_backend b
                frontend f2
                    bind 127.0.0.1:18302
                    maxconn 1000
                    use_backend b if { path /x }
                    use_backend %[req.hdr(x)] if { path /y }
                frontend f3
                    bind 127.0.0.1:18303
                    maxconn 3
                    default_backend c
                backend b
                    server s 127.0.0.1:9 minconn 2 maxconn 10
                backend c
                    fullconn 77
                    server s 127.0.0.1:9
                listen l
                    bind 127.0.0.1:18304
                    maxconn 25
                    server s 127.0.0.1:9
                """);
        Config config = ConfigLoader.load(List.of(file), Map.of()).config().orElseThrow();
        Map<String, Integer> fullconn = new HashMap<>();
        for (BackendPlan backend : Compiler.compile(config).plan().backends()) {
            fullconn.put(backend.name(), backend.load().fullconn());
        }
        assertEquals(Map.of("b", 1099, "c", 77, "l", 3), fullconn);
    }
}
