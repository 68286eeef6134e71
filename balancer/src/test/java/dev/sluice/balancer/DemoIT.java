package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole chain as a user starts it: scripts/demo, then curl over TLS, then Ctrl-C. */
class DemoIT {

    @Test
    void demoServesHttpsThroughTerminatorAndBalancer(@TempDir Path state) throws Exception {
        int https = Ports.free();
        int http = Ports.free();
        int app1 = Ports.free();
        int app2 = Ports.free();
        int stats = Ports.free();
        Map<String, String> env = Map.of(
                "SLUICE_DEMO_HTTPS_PORT", Integer.toString(https),
                "SLUICE_DEMO_HTTP_PORT", Integer.toString(http),
                "SLUICE_DEMO_BACKEND_PORTS", app1 + " " + app2,
                "SLUICE_DEMO_STATS_PORT", Integer.toString(stats),
                "SLUICE_DEMO_STATE", state.toString());
        List<Long> started;
        try (ExternalProcess demo = ExternalProcess.start("demo", Sluice.command("demo"), env, null)) {
            demo.awaitOutput("the edge is up", Duration.ofSeconds(90));
            assertTrue(demo.output().contains("curl -k https://127.0.0.1:" + https + "/"), demo.describe());
            started = demo.descendantPids();

            Set<String> servedBy = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                ExternalProcess.Result curl = ExternalProcess.run("curl", List.of(Sluice.tool("curl"),
                        "-sS", "-k", "--max-time", "10", "https://127.0.0.1:" + https + "/hello?i=" + i),
                        Duration.ofSeconds(20)).assertExit(0);
                String body = curl.output();
                assertTrue(body.contains("GET /hello?i=" + i), body + "\n" + demo.describe());
                assertTrue(body.contains("X-Forwarded-For=127.0.0.1"), body + "\n" + demo.describe());
                servedBy.add(body.substring(0, body.indexOf(':')));
            }
            assertEquals(Set.of("app1", "app2"), servedBy, "round-robin over both demo backends");
            assertTrue(Files.exists(state.resolve("demo.pem")));
            String statsUrl = "http://127.0.0.1:" + stats + "/stats";
            assertTrue(demo.output().contains(statsUrl), demo.describe());
            String csv = ExternalProcess.run("curl", List.of(Sluice.tool("curl"), "-sS", "--max-time", "10",
                    statsUrl + ";csv"), Duration.ofSeconds(20)).assertExit(0).output();
            assertTrue(csv.contains("\nedge,FRONTEND,"), csv);
            assertTrue(csv.contains("\napp,app1,") && csv.contains("\napp,app2,"), csv);

            demo.signal("INT");
            assertEquals(130, demo.awaitExit(Duration.ofSeconds(60)), demo.describe());
        }
        for (long pid : started) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "demo left process " + pid + " running");
        }
        assertFalse(Ports.accepting("127.0.0.1", https));
    }
}
