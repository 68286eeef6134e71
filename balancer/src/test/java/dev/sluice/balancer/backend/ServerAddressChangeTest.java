package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.ServerResolution;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A server moved by DNS: new connections go to the new address, idle connections to the old one are not
 * reused; a server without an address waits in resolution maintenance, out of the balancing snapshot.
 */
class ServerAddressChangeTest {

    private static final InetSocketAddress OLD = new InetSocketAddress("127.0.0.2", 8080);
    private static final InetSocketAddress NEW = new InetSocketAddress("127.0.0.3", 8080);

    private static Server server(boolean unresolved) {
        ServerPlan plan = ServerPlan.of("s1", unresolved ? new InetSocketAddress("0.0.0.0", 8080) : OLD);
        ServerResolution resolution = new ServerResolution("app.test", Optional.empty(), Optional.empty(),
                ServerResolution.Family.IPV4, ServerResolution.DupIp.DEFAULT, false, List.of(),
                ServerResolution.DEFAULT_INIT_ADDR, unresolved);
        return new Server(new ServerPlan(plan.name(), plan.address(), plan.weight(), plan.maxconn(), false, false, 0,
                plan.health(), plan.persistence(), plan.minconn(), plan.connections(), resolution), () -> { });
    }

    @Test
    void anAddressChangeDropsIdleConnectionsToTheOldOne() {
        Server server = server(false);
        EmbeddedChannel pooled = new EmbeddedChannel();
        assertTrue(server.offerIdle(pooled, false));
        assertEquals(OLD, server.address());
        assertFalse(server.changeAddress(OLD), "the same address is no change");
        assertTrue(server.changeAddress(NEW));
        assertEquals(NEW, server.address());
        assertNull(server.pollIdle(), "the connection to the old address is not reused");
        assertFalse(pooled.isOpen());
        EmbeddedChannel fresh = new EmbeddedChannel();
        server.offerIdle(fresh, false);
        assertSame(fresh, server.pollIdle(), "connections to the new address pool as usual");
    }

    @Test
    void resolutionMaintenanceKeepsTheServerOutOfTheSnapshot() {
        Server server = server(true);
        assertTrue(server.state().resolutionMaint());
        assertEquals("MAINT (resolution)", server.state().statsStatus());
        assertEquals(0x20, server.state().adminCode());
        assertEquals(0, server.state().operationalCode());
        assertFalse(server.usable());
        assertFalse(server.acceptsPersistent());
        assertTrue(server.state().setResolutionMaint(false));
        assertTrue(server.usable());
        assertEquals("no check", server.state().statsStatus());
        assertEquals(0, server.state().adminCode());
    }

    @Test
    void theBackendSnapshotFollowsResolution() {
        Server dynamic = server(true);
        Backend backend = new Backend(new dev.sluice.balancer.runtime.BackendPlan("b",
                dev.sluice.balancer.runtime.Mode.HTTP, List.of(dynamic.plan()),
                dev.sluice.balancer.runtime.Timeouts.NONE, 0, false, dev.sluice.balancer.runtime.ForwardFor.DISABLED,
                java.util.Map.of(), Balance.ROUND_ROBIN));
        Server live = backend.servers().getFirst();
        assertTrue(backend.serverSet().inUse().isEmpty(), "a server without an address takes no traffic");
        live.changeAddress(NEW);
        live.state().setResolutionMaint(false);
        backend.refresh();
        assertEquals(1, backend.serverSet().inUse().size());
        live.state().setResolutionMaint(true);
        backend.refresh();
        assertTrue(backend.serverSet().inUse().isEmpty());
    }
}
