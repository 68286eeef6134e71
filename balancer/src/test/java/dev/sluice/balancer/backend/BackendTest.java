package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);

    private static Backend backend(ServerPlan... servers) {
        return new Backend(new BackendPlan("be", Mode.HTTP, List.of(servers), Timeouts.NONE, 3, false, ForwardFor.DISABLED, Map.of()));
    }

    private static ServerPlan server(String name, int weight, int maxconn, boolean disabled, boolean backup) {
        return new ServerPlan(name, ADDRESS, weight, maxconn, disabled, backup, 0);
    }

    @Test
    void fullServersAreSkippedAndFreedSlotsReturn() {
        Backend backend = backend(server("a", 1, 1, false, false), server("b", 1, 1, false, false));
        Server first = backend.take(null);
        Server second = backend.take(null);
        assertEquals(List.of("a", "b"), List.of(first.name(), second.name()));
        assertEquals(1, first.busy());
        assertNull(backend.take(null), "both at maxconn: no server (HAProxy would queue)");
        first.giveBack();
        assertEquals("a", backend.take(null).name());
    }

    @Test
    void backupsServeOnlyWhenNoActiveServerIsUsable() {
        Backend withActive = backend(server("a", 1, 1, false, false), server("spare", 1, 0, false, true));
        withActive.take(null);
        assertNull(withActive.take(null), "a full active server does not call in the backup");
        Backend allDisabled = backend(server("a", 1, 0, true, false), server("spare1", 1, 0, false, true),
                server("spare2", 1, 0, false, true));
        assertEquals("spare1", allDisabled.take(null).name());
        assertEquals("spare1", allDisabled.take(null).name());
    }

    @Test
    void redispatchAvoidsTheFailedServerWhenItCan() {
        Backend backend = backend(server("a", 1, 0, false, false), server("b", 1, 0, false, false));
        Server a = backend.take(null);
        a.giveBack();
        for (int i = 0; i < 4; i++) {
            Server other = backend.take(a);
            assertEquals("b", other.name());
            other.giveBack();
        }
        Backend single = backend(server("only", 1, 0, false, false));
        Server only = single.take(null);
        only.giveBack();
        assertEquals("only", single.take(only).name());
    }

    @Test
    void zeroWeightTakesNoTraffic() {
        Backend backend = backend(server("a", 0, 0, false, false), server("b", 1, 0, false, false));
        for (int i = 0; i < 3; i++) {
            assertEquals("b", backend.take(null).name());
        }
    }
}
