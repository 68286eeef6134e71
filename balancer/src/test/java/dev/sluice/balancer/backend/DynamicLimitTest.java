package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.runtime.BackendLoad;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.CookiePlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerPersistence;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.StatsPage;
import dev.sluice.balancer.runtime.Timeouts;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code minconn} with {@code fullconn}: HAProxy's max(minconn, maxconn × beconn / fullconn). */
class DynamicLimitTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);

    @Test
    void theLimitGrowsWithTheBackendsLoadFromMinconnToMaxconn() {
        assertEquals(10, DynamicLimit.of(10, 100, 0, 1000));
        assertEquals(10, DynamicLimit.of(10, 100, 99, 1000)); // 99 × 100 / 1000 = 9 < minconn
        assertEquals(25, DynamicLimit.of(10, 100, 250, 1000));
        assertEquals(99, DynamicLimit.of(10, 100, 999, 1000));
        assertEquals(100, DynamicLimit.of(10, 100, 1000, 1000)); // the backend is full
        assertEquals(100, DynamicLimit.of(10, 100, 5000, 1000));
    }

    @Test
    void staticLimitsUnlimitedServersAndNoFullconnDoNotScale() {
        assertEquals(100, DynamicLimit.of(100, 100, 0, 1000)); // minconn == maxconn: a static limit
        assertEquals(0, DynamicLimit.of(0, 0, 0, 1000)); // no maxconn: unlimited
        assertEquals(100, DynamicLimit.of(10, 100, 0, 0)); // fullconn 0: no scaling
    }

    @Test
    void theProductDoesNotOverflow() {
        assertEquals(1_000_000, DynamicLimit.of(1, 2_000_000, 1_000_000, 2_000_000));
    }

    @Test
    void aBackendServesOnlyMinconnAtOnceUnderLowLoadAndMoreAsItFills() {
        ServerPlan server = new ServerPlan("s", ADDRESS, 1, 10, false, false, 0, ServerHealth.NONE,
                ServerPersistence.NONE, 2);
        Backend backend = backend(server, 20);
        Server s = backend.servers().getFirst();
        assertEquals(2, s.maxConnections());
        assertNotNull(backend.take(null));
        assertNotNull(backend.take(null));
        // Load 2 of fullconn 20: 2 × 10 / 20 = 1, so minconn 2 holds and the third request must wait.
        assertNull(backend.take(null));
        assertEquals(2, s.busy());
        // Each slot given back lets the next request in, still at most two at once.
        backend.servers().getFirst().giveBack();
        assertNotNull(backend.take(null));
        assertNull(backend.take(null));
    }

    @Test
    void aServersLimitFollowsItsBackendsLoad() {
        ServerPlan plan = new ServerPlan("s", ADDRESS, 1, 10, false, false, 0, ServerHealth.NONE,
                ServerPersistence.NONE, 2);
        int[] load = {0};
        Server server = new Server(plan, () -> { }, () -> load[0], 20);
        assertEquals(2, server.maxConnections());
        load[0] = 8; // 8 × 10 / 20
        assertEquals(4, server.maxConnections());
        for (int i = 0; i < 4; i++) {
            assertEquals(true, server.tryTake());
        }
        assertEquals(false, server.tryTake());
        load[0] = 20;
        assertEquals(true, server.tryTake());
        assertEquals(10, server.maxConnections());
        load[0] = 0;
        assertEquals(true, server.full(), "5 busy over a limit back at minconn");
    }

    @Test
    void aServerWithoutMinconnKeepsItsMaxconn() {
        ServerPlan server = new ServerPlan("s", ADDRESS, 1, 10, false, false, 0);
        Backend backend = backend(server, 20);
        assertEquals(10, backend.servers().getFirst().maxConnections());
    }

    private static Backend backend(ServerPlan server, int fullconn) {
        return new Backend(new BackendPlan("be", Mode.HTTP, List.of(server), Timeouts.NONE, 3, false,
                ForwardFor.DISABLED, Map.of(), Balance.ROUND_ROBIN, StatsPage.DISABLED,
                dev.sluice.balancer.stick.StickPersistence.NONE, dev.sluice.balancer.rules.HttpRules.NONE,
                CookiePlan.NONE, new BackendLoad(null, fullconn)));
    }
}
