package dev.sluice.balancer.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server commands and their answers, compared with what Debian's haproxy 2.6.12 answers on its stats
 * socket for the same commands (the texts below were captured from it).
 */
class ServerAdminTest {
    private final Backend b1 = new Backend(new BackendPlan("b1", Mode.HTTP, List.of(
            new ServerPlan("s1", new InetSocketAddress("127.0.0.1", 19501), 1, 0, false, false, 0)
                    .withHealth(ServerHealth.tcp(Duration.ofMillis(500), 2, 3)),
            new ServerPlan("s2", new InetSocketAddress("127.0.0.1", 19502), 1, 0, true, false, 0),
            new ServerPlan("s3", new InetSocketAddress("127.0.0.1", 19503), 1, 0, false, false, 0)),
            Timeouts.NONE, 3, false, ForwardFor.DISABLED, Map.of()));
    private final ServerAdmin admin;

    ServerAdminTest() {
        Map<String, Backend> backends = new LinkedHashMap<>();
        backends.put("b1", b1);
        admin = new ServerAdmin(backends);
    }

    private String run(String line) {
        return admin.execute(Arrays.asList(line.split(" ")));
    }

    private List<String> inUse() {
        List<String> names = new ArrayList<>();
        b1.serverSet().inUse().forEach(c -> names.add(c.name()));
        return names;
    }

    @Test
    void errorsNameWhatIsMissing() {
        assertEquals("No such backend.\n", run("set server zz/s1 state ready"));
        assertEquals("No such server.\n", run("set server b1/zz state ready"));
        assertEquals("Require 'backend/server'.\n", run("enable server b1"));
        assertEquals("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n",
                run("set server b1/s3 state bogus"));
        assertEquals("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n", run("set server b1/s3 state"));
        assertEquals("usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | "
                + "check-addr | check-port | fqdn | health | ssl | state | weight\n", run("set server b1/s3"));
        assertEquals("Absolute weight can only be between 0 and 256 inclusive.\n", run("set server b1/s3 weight 300"));
        assertEquals("Absolute weight can only be between 0 and 256 inclusive.\n", run("set server b1/s3 weight -1"));
        assertEquals("Empty weight string empty or preceded by garbage", run("set server b1/s3 weight x"));
        assertEquals("Require <weight> or <weight%>.\n", run("set server b1/s3 weight"));
        assertEquals("maxconn string empty or preceded by garbage", run("set maxconn server b1/s3 x"));
        assertEquals("Require <maxconn>.\n", run("set maxconn server b1/s3"));
        assertEquals("Health check was not configured on this server, cannot enable.\n", run("enable health b1/s3"));
        assertEquals("", run("disable health b1/s3"), "HAProxy quietly accepts this one");
        assertEquals("Can't find backend.\n", run("show servers state nope"));
        assertNull(run("show info"), "not a server command: the socket answers it");
    }

    @Test
    void stateChangesRebuildTheServerSet() {
        assertEquals(List.of("s1", "s3"), inUse());
        assertEquals("", run("set server b1/s3 state drain"));
        assertEquals(List.of("s1"), inUse());
        Server s3 = b1.server("s3");
        assertFalse(s3.usable());
        assertTrue(s3.acceptsPersistent());
        assertEquals("", run("set server b1/s3 state maint"));
        assertFalse(s3.acceptsPersistent());
        assertEquals("", run("set server b1/s3 state ready"));
        assertEquals(List.of("s1", "s3"), inUse());
        assertEquals("", run("enable server b1/s2"));
        assertEquals(List.of("s1", "s2", "s3"), inUse());
        assertEquals("", run("disable server b1/s2"));
        assertEquals(ServerState.Admin.MAINT, b1.server("s2").state().admin());
        assertEquals(List.of("s1", "s3"), inUse());
    }

    @Test
    void weightsAbsoluteAndRelative() {
        assertEquals("", run("set server b1/s3 weight 50"));
        assertEquals(50, b1.serverSet().inUse().get(1).weight());
        assertEquals("50 (initial 1)\n", run("get weight b1/s3"));
        assertEquals("", run("set weight b1/s3 150%"));
        assertEquals("1 (initial 1)\n", run("get weight b1/s3"));
        assertEquals("", run("set server b1/s3 weight 50%"));
        assertEquals("0 (initial 1)\n", run("get weight b1/s3"), "half of 1 is 0, as in HAProxy");
        assertEquals(List.of("s1"), inUse());
    }

    @Test
    void maxconnAndHealthSwitches() {
        assertEquals("", run("set maxconn server b1/s3 1"));
        Server s3 = b1.server("s3");
        assertTrue(s3.tryTake());
        assertFalse(s3.tryTake(), "the new maxconn applies at once");
        s3.giveBack();
        assertEquals("", run("disable health b1/s1"));
        assertFalse(b1.server("s1").state().checksEnabled());
        assertEquals("", run("enable health b1/s1"));
        assertTrue(b1.server("s1").state().checksEnabled());
    }

    @Test
    void showServersStateInHaproxyFormat() {
        run("set server b1/s3 weight 2");
        String[] lines = run("show servers state b1").split("\n");
        assertEquals("1", lines[0]);
        assertEquals(ServerAdmin.STATE_HEADER, lines[1]);
        // As haproxy prints a checked server that has not been checked yet, a disabled one and a plain one.
        assertEquals("1 b1 1 s1 127.0.0.1 2 0 1 1 0 1 0 2 6 0 0 0 - 19501 - 0 0 - - 0", lines[2]);
        assertEquals("1 b1 2 s2 127.0.0.1 0 5 1 1 0 1 0 0 8 0 0 0 - 19502 - 0 0 - - 0", lines[3]);
        assertEquals("1 b1 3 s3 127.0.0.1 2 0 2 1 0 1 0 2 0 0 0 0 - 19503 - 0 0 - - 0", lines[4]);
        assertEquals(5, lines.length);
        assertEquals(run("show servers state b1"), run("show servers state"));
    }
}
