package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.lb.HashType;
import dev.sluice.balancer.lb.PickContext;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private static Backend balanced(Balance balance, ServerPlan... servers) {
        return new Backend(new BackendPlan("be", Mode.HTTP, List.of(servers), Timeouts.NONE, 3, false,
                ForwardFor.DISABLED, Map.of(), balance));
    }

    @Test
    void aHashedRequestWaitsForItsFullServerInsteadOfSpilling() {
        Backend backend = balanced(Balance.of(new Balance.Uri(false, 0, 0, false)).withHashType(HashType.CONSISTENT),
                server("a", 1, 1, false, false), server("b", 1, 1, false, false));
        PickContext context = new PickContext().uri("/same/object");
        Server chosen = backend.takeFor(context);
        assertNull(backend.takeFor(context), "the same key keeps its (now full) server: the request queues");
        chosen.giveBack();
        assertSame(chosen, backend.takeFor(context));
    }

    @Test
    void leastConnCountsRequestsInProgress() {
        Backend backend = balanced(Balance.of(new Balance.LeastConn()),
                server("a", 1, 0, false, false), server("b", 1, 0, false, false));
        Server first = backend.take(null);
        Server second = backend.take(null);
        assertNotSame(first, second, "the busy server is not chosen while the other is idle");
        second.giveBack();
        assertSame(second, backend.take(null));
    }

    @Test
    void allBackupsShareTheLoadWhenNoActiveServerIsUsable() {
        ServerPlan down = server("a", 1, 0, true, false);
        ServerPlan spare1 = server("spare1", 1, 0, false, true);
        ServerPlan spare2 = server("spare2", 1, 0, false, true);
        Backend backend = balanced(Balance.ROUND_ROBIN.withAllBackups(true), down, spare1, spare2);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            used.add(backend.take(null).name());
        }
        assertEquals(Set.of("spare1", "spare2"), used);
    }

    @Test
    void sourceHashingNeedsTheSourceElseFallsBackToRoundRobin() {
        Backend backend = balanced(Balance.of(new Balance.Source()),
                server("a", 1, 0, false, false), server("b", 1, 0, false, false), server("c", 1, 0, false, false));
        PickContext context = new PickContext().sourceAddress(new byte[] {(byte) 198, 51, 100, 7});
        String name = backend.takeFor(context).name();
        for (int i = 0; i < 5; i++) {
            assertEquals(name, backend.takeFor(context).name());
        }
        Set<String> withoutSource = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            withoutSource.add(backend.takeFor(new PickContext()).name());
        }
        assertEquals(Set.of("a", "b", "c"), withoutSource);
    }
}
