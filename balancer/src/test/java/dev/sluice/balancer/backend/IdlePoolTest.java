package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The per-event-loop pool of idle server connections, and what a server stopping does to it. */
class IdlePoolTest {
    private final Server server = new Server(new ServerPlan("s1", new InetSocketAddress("127.0.0.1", 9), 1, 0, false,
            false, 0), () -> { });

    @Test
    void aParkedConnectionIsReused() {
        EmbeddedChannel parked = new EmbeddedChannel();
        server.offerIdle(parked);
        assertSame(parked, server.pollIdle());
        assertNull(server.pollIdle(), "taken once");
    }

    @Test
    void connectionsParkedBeforeTheServerStoppedAreClosedNotReused() {
        EmbeddedChannel stale = new EmbeddedChannel();
        server.offerIdle(stale);
        server.dropIdle();
        assertNull(server.pollIdle(), "a connection of a server that went DOWN must not serve again");
        assertFalse(stale.isOpen());
        EmbeddedChannel fresh = new EmbeddedChannel();
        server.offerIdle(fresh);
        assertSame(fresh, server.pollIdle(), "one parked after the stop is fine");
    }
}
