package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.ProxyLine;
import dev.sluice.balancer.runtime.ServerConnections;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerPersistence;
import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code pool-max-conn}, {@code pool-purge-delay} and the proven connections {@code http-reuse aggressive} takes. */
class ServerPoolLimitsTest {

    private static Server server(int poolMaxConn, Duration purgeDelay) {
        ServerConnections connections = new ServerConnections(ProxyLine.NONE, false, poolMaxConn, purgeDelay,
                ServerConnections.UNLIMITED);
        return new Server(new ServerPlan("s1", new InetSocketAddress("127.0.0.1", 9), 1, 0, false, false, 0,
                ServerHealth.NONE, ServerPersistence.NONE, 0, connections), () -> { });
    }

    @Test
    void poolMaxConnBoundsTheIdleConnections() {
        Server server = server(1, ServerConnections.DEFAULT_PURGE_DELAY);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        assertTrue(server.offerIdle(first, false));
        assertFalse(server.offerIdle(second, false), "one idle connection at most");
        assertEquals(1, server.idleCount());
        assertSame(first, server.pollIdle());
        assertEquals(0, server.idleCount());
        assertTrue(server.offerIdle(second, false), "room again once the first was taken");
        server.forgetIdle(second);
        assertEquals(0, server.idleCount(), "a connection that closed while parked leaves the count");
    }

    @Test
    void zeroKeepsNothing() {
        assertFalse(server(0, ServerConnections.DEFAULT_PURGE_DELAY).offerIdle(new EmbeddedChannel(), false));
        assertFalse(server(-1, Duration.ZERO).offerIdle(new EmbeddedChannel(), false));
        EmbeddedChannel closedByCaller = new EmbeddedChannel();
        server(0, ServerConnections.DEFAULT_PURGE_DELAY).offerIdle(closedByCaller);
        assertFalse(closedByCaller.isOpen(), "the old offerIdle closes what it cannot park");
    }

    @Test
    void provenOnlyTakesConnectionsThatServedASecondRequest() {
        Server server = server(ServerConnections.UNLIMITED, ServerConnections.DEFAULT_PURGE_DELAY);
        EmbeddedChannel once = new EmbeddedChannel();
        EmbeddedChannel proven = new EmbeddedChannel();
        server.offerIdle(proven, true);
        server.offerIdle(once, false);
        assertSame(proven, server.pollIdle(true), "the newest is passed over: it served once only");
        assertNull(server.pollIdle(true));
        assertSame(once, server.pollIdle(false));
        assertEquals(0, server.idleCount());
    }

    @Test
    void everyPurgeDelayHalfOfTheIdleConnectionsCloseOldestFirst() {
        Server server = server(ServerConnections.UNLIMITED, Duration.ofSeconds(5));
        EmbeddedChannel clock = new EmbeddedChannel();
        clock.freezeTime();
        // The sweep runs on the loop of the connection that made the pool non-empty: the clock's.
        server.offerIdle(clock, false);
        assertSame(clock, server.pollIdle());
        EmbeddedChannel oldest = new EmbeddedChannel();
        EmbeddedChannel middle = new EmbeddedChannel();
        EmbeddedChannel newest = new EmbeddedChannel();
        server.offerIdle(oldest, false);
        server.offerIdle(middle, false);
        server.offerIdle(newest, false);
        clock.advanceTimeBy(4, TimeUnit.SECONDS);
        clock.runScheduledPendingTasks();
        assertEquals(3, server.idleCount(), "nothing closes before the delay");
        clock.advanceTimeBy(1, TimeUnit.SECONDS);
        clock.runScheduledPendingTasks();
        assertEquals(1, server.idleCount(), "half of three, rounded up");
        assertFalse(oldest.isOpen());
        assertFalse(middle.isOpen());
        assertTrue(newest.isOpen(), "the most recently used stays longest");
        clock.advanceTimeBy(5, TimeUnit.SECONDS);
        clock.runScheduledPendingTasks();
        assertEquals(0, server.idleCount());
        assertFalse(newest.isOpen());
        assertNull(server.pollIdle());
    }
}
