package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/container/image-test.sh: the node image (built locally FROM scratch, no registry) run by a
 * Docker engine that the script starts inside a network namespace of its own: HTTPS through the
 * container's terminator and balancer to both backends with X-Forwarded-For, a SIGHUP reload that
 * keeps serving, and "docker stop" ending in exit status 0 within the bound. Skipped, saying so,
 * only where no engine can run (the script exits 3). {@link LabImpl} chooses what runs inside.
 */
class NodeImageIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int NO_ENGINE = 3;

    @Test
    void nodeImageServesReloadsAndStops() {
        List<String> command = List.of("env", "LAB_IMPL=" + LabImpl.current().envValue(),
                Deploy.dir().resolve("container/image-test.sh").toString());
        ExternalProcess.Result run = ExternalProcess.run("image-test.sh", command, TIMEOUT);
        String out = run.output();
        Assumptions.assumeTrue(run.exit() != NO_ENGINE, out);
        assertEquals(0, run.exit(), out);
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        out.lines().filter(l -> l.startsWith("image: RESULT ")).forEach(line -> {
            String[] fields = line.substring("image: RESULT ".length()).split(" ");
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 1; i < fields.length; i++) {
                String[] kv = fields[i].split("=", 2);
                values.put(kv[0], kv[1]);
            }
            results.put(fields[0], values);
        });
        for (String step : List.of("serve", "after-reload")) {
            Map<String, String> r = results.get(step);
            assertTrue(r != null, "no RESULT " + step + "\n" + out);
            assertEquals(r.get("requests"), r.get("ok"), step + ": every request must succeed\n" + out);
            assertEquals(r.get("requests"), r.get("xff"), step + ": X-Forwarded-For from the PROXY header\n" + out);
            assertTrue(Integer.parseInt(r.get("be1")) > 0 && Integer.parseInt(r.get("be2")) > 0, step + "\n" + out);
        }
        assertEquals("1", results.get("reload").get("running"), out);
        Map<String, String> stop = results.get("stop");
        assertEquals("0", stop.get("exit"), "docker stop must end in a clean exit\n" + out);
        assertTrue(Long.parseLong(stop.get("ms")) < Long.parseLong(stop.get("limit_ms")), out);
    }
}
