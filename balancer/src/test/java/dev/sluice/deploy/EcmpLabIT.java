package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/ecmp/lab.sh test: the ECMP edge in network namespaces with BGP (BIRD) and the health
 * check driving each node's VIP announcement. Flows spread over both nodes; after a terminator
 * stop, a balancer stop and a link down every new connection succeeds through the other node
 * within the health/BGP bound; after recovery both nodes serve again. With "balance uri" +
 * "hash-type consistent" on both nodes, every URI reaches the same backend whichever node served
 * it (before the failures and after the recoveries), and the URIs spread over both backends.
 * {@link LabImpl} chooses what runs on the nodes.
 */
class EcmpLabIT {
    private static final Duration LAB_TIMEOUT = Duration.ofMinutes(4);
    /** Each node must carry at least this share of the flows when both announce the VIP. */
    private static final double MIN_SHARE = 0.2;

    @Test
    void flowsSpreadFailOverAndRecover() {
        List<String> command = List.of("env", "LAB_IMPL=" + LabImpl.current().envValue(),
                Deploy.dir().resolve("ecmp/lab.sh").toString(), "test");
        ExternalProcess.Result lab = ExternalProcess.run("lab.sh", command, LAB_TIMEOUT);
        String out = lab.output();
        assertEquals(0, lab.exit(), out);
        Map<String, Map<String, Long>> results = results(out);

        assertBothServe(results, "spread", out);
        assertUriAffinity(results, "uri-hash", out);
        for (String[] step : List.of(new String[] {"process", "node1"}, new String[] {"balancer", "node2"},
                                     new String[] {"link", "node1"})) {
            String failed = step[1];
            String other = failed.equals("node1") ? "node2" : "node1";
            Map<String, Long> converged = result(results, "failover-" + step[0], out);
            assertEquals(1L, converged.get("paths"), step[0] + ": the router must drop the failed node\n" + out);
            assertTrue(converged.get("converged_ms") <= converged.get("limit_ms"), step[0] + " too slow\n" + out);
            Map<String, Long> after = result(results, "after-" + step[0] + "-failover", out);
            assertEquals(after.get("flows"), after.get("ok"), step[0] + ": every new connection must succeed\n" + out);
            assertEquals(0L, after.get(failed), step[0] + ": nothing may reach " + failed + "\n" + out);
            assertEquals(after.get("flows"), after.get(other), out);

            Map<String, Long> back = result(results, "recovery-" + step[0], out);
            assertEquals(2L, back.get("paths"), step[0] + ": " + failed + " must announce again\n" + out);
            assertTrue(back.get("converged_ms") <= back.get("limit_ms"), step[0] + " recovery too slow\n" + out);
            assertBothServe(results, "after-" + step[0] + "-recovery", out);
        }
        assertUriAffinity(results, "uri-hash-after-recovery", out);
        assertFalse(out.contains("lab: FAIL"), out);
    }

    /** Each URI went to one backend through both nodes, and the URIs used both backends. */
    private static void assertUriAffinity(Map<String, Map<String, Long>> results, String name, String out) {
        Map<String, Long> r = result(results, name, out);
        assertEquals(0L, r.get("failed"), name + ": every request through either node must succeed\n" + out);
        assertEquals(0L, r.get("differ"), name + ": a URI must reach the same backend through both nodes\n" + out);
        assertEquals(r.get("uris"), r.get("same"), out);
        assertTrue(r.get("be1") > 0 && r.get("be2") > 0, name + ": the URIs must spread over both backends\n" + out);
    }

    private static void assertBothServe(Map<String, Map<String, Long>> results, String name, String out) {
        Map<String, Long> r = result(results, name, out);
        long flows = r.get("flows");
        assertEquals(flows, r.get("ok"), name + ": every connection must succeed\n" + out);
        assertEquals(2L, r.get("paths"), out);
        for (String node : List.of("node1", "node2")) {
            assertTrue(r.get(node) >= flows * MIN_SHARE, name + ": " + node + " served " + r.get(node) + " of " + flows + "\n" + out);
        }
    }

    private static Map<String, Long> result(Map<String, Map<String, Long>> results, String name, String out) {
        Map<String, Long> r = results.get(name);
        if (r == null) {
            throw new AssertionError("no RESULT " + name + "\n" + out);
        }
        return r;
    }

    /** "lab: RESULT name k=v k=v…" lines. */
    private static Map<String, Map<String, Long>> results(String out) {
        Map<String, Map<String, Long>> results = new LinkedHashMap<>();
        out.lines().filter(l -> l.startsWith("lab: RESULT ")).forEach(line -> {
            String[] fields = line.substring("lab: RESULT ".length()).split(" ");
            Map<String, Long> values = new LinkedHashMap<>();
            for (int i = 1; i < fields.length; i++) {
                String[] kv = fields[i].split("=", 2);
                values.put(kv[0], Long.parseLong(kv[1]));
            }
            results.put(fields[0], values);
        });
        return results;
    }
}
