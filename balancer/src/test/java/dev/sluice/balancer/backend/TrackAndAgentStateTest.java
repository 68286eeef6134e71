package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.check.CheckResult;
import dev.sluice.balancer.check.CheckStatus;
import dev.sluice.balancer.runtime.ServerHealth;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code track} and {@code agent-check} on the server state: what the stats show and when it goes UP/DOWN. */
class TrackAndAgentStateTest {
    private static final ServerHealth CHECKED = ServerHealth.tcp(Duration.ofSeconds(1), 1, 1);

    private static ServerState state(ServerHealth health) {
        return new ServerState(10, false, health, () -> 0L);
    }

    private static CheckResult result(CheckStatus status) {
        return new CheckResult(status, 0, "", 0);
    }

    @Test
    void aFollowerTakesTheCheckedServersState() {
        ServerState root = state(CHECKED);
        ServerState follower = state(ServerHealth.NONE);
        follower.track(root, "be/s");
        assertEquals("UP", follower.statsStatus());
        root.record(result(CheckStatus.L4CON));
        assertEquals(ServerState.Transition.WENT_DOWN, follower.follow());
        assertEquals("DOWN", follower.statsStatus());
        assertEquals(ServerState.Transition.NONE, follower.follow());
        root.record(result(CheckStatus.L4OK));
        assertEquals(ServerState.Transition.WENT_UP, follower.follow());
        root.setAdmin(ServerState.Admin.MAINT);
        assertEquals(ServerState.Transition.WENT_DOWN, follower.follow());
        assertEquals("MAINT (via be/s)", follower.statsStatus());
        assertEquals("be/s", follower.trackedVia());
    }

    @Test
    void anAgentThatSaysDownKeepsTheServerDownUntilItSaysUp() {
        ServerState state = state(CHECKED);
        state.enableAgent();
        assertEquals(ServerState.Transition.WENT_DOWN, state.agentResult(result(CheckStatus.L7STS), false));
        assertEquals("DOWN (agent)", state.statsStatus());
        assertEquals(ServerState.Transition.NONE, state.record(result(CheckStatus.L4OK)), "a passing check is not enough");
        assertEquals(ServerState.Transition.WENT_UP, state.agentResult(result(CheckStatus.L7OK), true));
        assertEquals("UP", state.statsStatus());
        assertEquals(ServerState.Transition.NONE, state.agentResult(result(CheckStatus.L4CON), null),
                "an unreachable agent changes nothing");
        assertEquals(CheckStatus.L4CON, state.lastAgent().status());
        state.setAdmin(ServerState.Admin.DRAIN);
        assertEquals("DRAIN (agent)", state.statsStatus());
        assertTrue(state.up());
    }
}
