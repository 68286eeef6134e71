package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerPersistence;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which waiter a freed slot wakes: the oldest of that server's queue and the backend's. */
class QueueOrderTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);

    private final List<String> woken = new ArrayList<>();

    private Backend.Waiter waiter(String name) {
        return new Backend.Waiter() {
            @Override
            public void wake() {
                woken.add(name);
            }

            @Override
            public EventExecutor executor() {
                return ImmediateEventExecutor.INSTANCE;
            }
        };
    }

    /** A request on {@code server} ends and the waiter it wakes takes its slot. */
    private static void handOver(Server server) {
        server.giveBack();
        assertTrue(server.tryTake());
    }

    private static Backend backend(int maxqueue) {
        ServerPlan a = new ServerPlan("a", ADDRESS, 1, 1, false, false, 0, new ServerPersistence("A", maxqueue));
        ServerPlan b = new ServerPlan("b", ADDRESS, 1, 1, false, false, 0, new ServerPersistence("B", maxqueue));
        return new Backend(new BackendPlan("be", Mode.HTTP, List.of(a, b), Timeouts.NONE, 3, false,
                ForwardFor.DISABLED, Map.of()));
    }

    @Test
    void aFreedSlotWakesTheOldestOfItsServersQueueAndTheBackendsQueue() {
        Backend backend = backend(0);
        Server a = backend.servers().get(0);
        Server b = backend.servers().get(1);
        assertTrue(a.tryTake());
        assertTrue(b.tryTake());
        backend.enqueue(waiter("any-1"));
        assertTrue(backend.enqueueFor(a, waiter("a-1")));
        assertTrue(backend.enqueueFor(b, waiter("b-1")));
        backend.enqueue(waiter("any-2"));
        assertTrue(backend.enqueueFor(a, waiter("a-2")));
        assertEquals(2, a.queued());
        assertEquals(2, backend.queued());
        assertEquals(List.of(), woken);

        handOver(a);
        assertEquals(List.of("any-1"), woken);
        handOver(a);
        assertEquals(List.of("any-1", "a-1"), woken);
        // b's waiter is older than any-2, but a slot of a never wakes a request that must go to b.
        handOver(a);
        assertEquals(List.of("any-1", "a-1", "any-2"), woken);
        handOver(b);
        assertEquals(List.of("any-1", "a-1", "any-2", "b-1"), woken);
        handOver(a);
        assertEquals(List.of("any-1", "a-1", "any-2", "b-1", "a-2"), woken);
        assertEquals(2, a.maxQueued());
        assertEquals(2, backend.maxQueued());
    }

    @Test
    void maxqueueBoundsAServersQueueAndALeaverFreesItsPlace() {
        Backend backend = backend(1);
        Server a = backend.servers().get(0);
        assertTrue(a.tryTake());
        Backend.Waiter first = waiter("a-1");
        assertTrue(backend.enqueueFor(a, first));
        assertFalse(backend.enqueueFor(a, waiter("a-2")), "maxqueue 1 is reached");
        backend.dequeue(first);
        assertEquals(0, a.queued());
        assertTrue(backend.enqueueFor(a, waiter("a-3")));
        a.giveBack();
        assertEquals(List.of("a-3"), woken);
    }

    @Test
    void queueingForAServerWithRoomWakesAtOnce() {
        Backend backend = backend(0);
        assertTrue(backend.enqueueFor(backend.servers().get(0), waiter("a-1")));
        assertEquals(List.of("a-1"), woken);
    }
}
