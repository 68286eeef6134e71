package dev.sluice.balancer.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transition lines, in the words HAProxy 2.6 logs them. */
class TransitionLogTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);
    private static final ServerHealth CHECKED = ServerHealth.tcp(Duration.ofSeconds(2), 2, 3);

    private final Backend backend = new Backend(new BackendPlan("be", Mode.HTTP, List.of(
            new ServerPlan("srv", ADDRESS, 1, 0, false, false, 0).withHealth(CHECKED),
            new ServerPlan("other", ADDRESS, 1, 0, false, false, 0).withHealth(CHECKED),
            new ServerPlan("spare", ADDRESS, 1, 0, false, true, 0)),
            Timeouts.NONE, 3, false, ForwardFor.DISABLED, Map.of()));

    @Test
    void downAndUpLines() {
        Server server = backend.server("srv");
        CheckResult refused = new CheckResult(CheckStatus.L4CON, 0, "Connection refused", 1);
        assertEquals(ServerState.Transition.WENT_DOWN, server.state().record(refused));
        backend.refresh();
        assertEquals("Server be/srv is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check "
                + "duration: 1ms. 1 active and 1 backup servers left. 0 sessions active, 0 requeued, 0 remaining in "
                + "queue.", TransitionLog.line(backend, server, ServerState.Transition.WENT_DOWN, refused));
        assertEquals(List.of("other"), backend.serverSet().inUse().stream().map(c -> c.name()).toList());

        CheckResult ok = new CheckResult(CheckStatus.L7OK, 200, "OK", 3);
        server.state().record(ok);
        assertEquals(ServerState.Transition.WENT_UP, server.state().record(ok));
        backend.refresh();
        assertEquals("Server be/srv is UP, reason: Layer7 check passed, code: 200, info: \"OK\", check duration: 3ms. "
                + "2 active and 1 backup servers online. 0 sessions requeued, 0 total in queue.",
                TransitionLog.line(backend, server, ServerState.Transition.WENT_UP, ok));
        assertEquals(List.of("srv", "other"), backend.serverSet().inUse().stream().map(c -> c.name()).toList());
    }

    @Test
    void agentAndTrackLines() {
        Server server = backend.server("srv");
        server.state().setAdmin(ServerState.Admin.DRAIN);
        backend.refresh();
        assertEquals("Server be/srv enters drain state. 1 active and 1 backup servers online. 0 sessions requeued, "
                + "0 total in queue.", TransitionLog.onlineLine(backend, server, "enters drain state", true));
        assertEquals("Server be/srv is UP (leaving forced drain).",
                TransitionLog.onlineLine(backend, server, "is UP (leaving forced drain)", false));
        assertEquals("Server be/srv is DOWN via be/other. 1 active and 1 backup servers left. 0 sessions active, "
                + "0 requeued, 0 remaining in queue.", TransitionLog.adminLine(backend, server, "is DOWN via be/other"));
    }

    @Test
    void tcpCheckPassHasCodeZero() {
        assertEquals("reason: Layer7 check passed, code: 0, info: \"(tcp-check)\", check duration: 1ms",
                new CheckResult(CheckStatus.L7OK, 0, "(tcp-check)", 1).describe());
    }

    @Test
    void timeoutHasNoInfo() {
        assertEquals("reason: Layer4 timeout, check duration: 2001ms",
                new CheckResult(CheckStatus.L4TOUT, 0, "", 2001).describe());
    }
}
