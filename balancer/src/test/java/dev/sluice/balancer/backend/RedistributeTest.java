package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a server's state change does to the requests waiting for it, without sockets. */
class RedistributeTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);

    /** Counts its wake-ups. */
    private static final class CountingWaiter implements Backend.Waiter {
        int wakes;

        @Override
        public void wake() {
            wakes++;
        }

        @Override
        public EventExecutor executor() {
            return ImmediateEventExecutor.INSTANCE;
        }
    }

    private static Backend backend(boolean redispatch) {
        return new Backend(new BackendPlan("be", Mode.HTTP, List.of(
                new ServerPlan("s1", ADDRESS, 1, 1, false, false, 0),
                new ServerPlan("s2", ADDRESS, 1, 1, false, false, 0)), Timeouts.NONE, 3, redispatch,
                ForwardFor.DISABLED, Map.of(), Balance.ROUND_ROBIN));
    }

    @Test
    void withRedispatchTheWaitersOfAServerInMaintenanceAreWokenAndItTakesNoMore() {
        Backend backend = backend(true);
        Server s1 = backend.server("s1");
        assertTrue(s1.tryTake());
        CountingWaiter waiter = new CountingWaiter();
        assertTrue(backend.enqueueFor(s1, waiter));
        assertEquals(0, waiter.wakes);
        assertTrue(s1.state().setAdmin(ServerState.Admin.MAINT));
        backend.refresh();
        assertEquals(1, waiter.wakes);
        assertEquals(0, s1.queued());
        // Woken, the request finds its server gone: no direct slot, no place in its queue (so it is balanced).
        s1.giveBack();
        assertNull(backend.takeDirect(s1));
        assertFalse(backend.enqueueFor(s1, waiter));
    }

    @Test
    void withoutRedispatchTheyKeepWaitingForTheirServer() {
        Backend backend = backend(false);
        Server s1 = backend.server("s1");
        assertTrue(s1.tryTake());
        CountingWaiter waiter = new CountingWaiter();
        assertTrue(backend.enqueueFor(s1, waiter));
        assertTrue(s1.state().setAdmin(ServerState.Admin.MAINT));
        backend.refresh();
        assertEquals(0, waiter.wakes);
        assertEquals(1, s1.queued());
        assertNull(backend.takeDirect(s1));
        backend.dequeue(waiter);
    }

    @Test
    void aServerLeavingMaintenanceTakesRequestsFromTheBackendsQueue() {
        Backend backend = backend(false);
        Server s1 = backend.server("s1");
        Server s2 = backend.server("s2");
        assertTrue(s2.state().setAdmin(ServerState.Admin.MAINT));
        backend.refresh();
        assertTrue(s1.tryTake());
        CountingWaiter first = new CountingWaiter();
        CountingWaiter second = new CountingWaiter();
        backend.enqueue(first);
        backend.enqueue(second);
        assertEquals(0, first.wakes + second.wakes);
        assertTrue(s2.state().setAdmin(ServerState.Admin.READY));
        backend.refresh();
        // s2 has one free slot: the oldest waiter gets it, the other keeps its place.
        assertEquals(1, first.wakes);
        assertEquals(0, second.wakes);
        assertEquals(1, backend.queued());
    }
}
