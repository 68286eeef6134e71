package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.check.CheckResult;
import dev.sluice.balancer.check.CheckStatus;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerObserve;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rise/fall counter, the check intervals, admin states and the slowstart ramp, on a fake clock. */
class ServerStateTest {
    private static final CheckResult PASS = new CheckResult(CheckStatus.L4OK, 0, "", 1);
    private static final CheckResult FAIL = new CheckResult(CheckStatus.L4CON, 0, "Connection refused", 1);
    private static final Duration INTER = Duration.ofSeconds(2);
    private static final Duration FAST = Duration.ofMillis(500);
    private static final Duration DOWN = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private ServerState state(int rise, int fall) {
        return new ServerState(10, false, ServerHealth.tcp(INTER, rise, fall).withIntervals(FAST, DOWN), now::get);
    }

    @Test
    void startsUpButTheFirstFailureTakesItDown() {
        ServerState state = state(2, 3);
        assertTrue(state.usable());
        assertEquals(2, state.health());
        assertEquals(FAST, state.nextInterval(), "not fully up yet: fastinter");
        assertEquals(ServerState.Transition.WENT_DOWN, state.record(FAIL));
        assertFalse(state.usable());
        assertEquals(0, state.health());
        assertEquals(DOWN, state.nextInterval());
    }

    @Test
    void aStableServerNeedsFallFailuresToGoDownAndRiseSuccessesToComeBack() {
        ServerState state = state(2, 3);
        assertEquals(ServerState.Transition.NONE, state.record(PASS));
        assertEquals(4, state.health(), "rise reached: jumps to rise + fall - 1");
        assertEquals(INTER, state.nextInterval());
        assertEquals(ServerState.Transition.NONE, state.record(FAIL));
        assertEquals("UP 2/3 (going down)", state.describe());
        assertEquals(FAST, state.nextInterval());
        assertEquals(ServerState.Transition.NONE, state.record(FAIL));
        assertTrue(state.usable());
        assertEquals(ServerState.Transition.WENT_DOWN, state.record(FAIL));
        assertFalse(state.usable());
        assertEquals("DOWN", state.describe());
        assertEquals(ServerState.Transition.NONE, state.record(PASS));
        assertEquals("DOWN 1/2 (going up)", state.describe());
        assertEquals(FAST, state.nextInterval());
        assertFalse(state.usable());
        assertEquals(ServerState.Transition.WENT_UP, state.record(PASS));
        assertTrue(state.usable());
        assertEquals(4, state.health());
    }

    @Test
    void statsStatusAndCheckCountersReadAsHaproxys() {
        ServerState state = state(2, 3);
        state.record(PASS);
        assertEquals("UP", state.statsStatus());
        state.record(FAIL);
        assertEquals("UP 2/3", state.statsStatus(), "two failures left before DOWN");
        assertTrue(state.setAdmin(ServerState.Admin.DRAIN));
        assertEquals("DRAIN 2/3", state.statsStatus());
        state.record(FAIL);
        now.addAndGet(3_000_000_000L);
        state.record(FAIL);
        assertEquals("DOWN", state.statsStatus());
        assertEquals(3, state.failedChecks());
        assertEquals(1, state.downTransitions());
        now.addAndGet(5_000_000_000L);
        assertEquals(5, state.downtimeSeconds(), "the current stop counts");
        state.record(PASS);
        assertEquals("DOWN 1/2", state.statsStatus());
        state.record(PASS);
        now.addAndGet(7_000_000_000L);
        assertEquals(5, state.downtimeSeconds(), "time UP since does not");
        assertTrue(state.setAdmin(ServerState.Admin.MAINT));
        assertEquals("MAINT", state.statsStatus());
        assertEquals("no check", new ServerState(1, false, ServerHealth.NONE, now::get).statsStatus());
    }

    @Test
    void aFailureInTheMiddleResetsTheClimb() {
        ServerState state = state(3, 2);
        state.record(FAIL);
        state.record(PASS);
        state.record(PASS);
        state.record(FAIL);
        assertEquals(0, state.health(), "a failure while going up drops to 0");
        state.record(PASS);
        state.record(PASS);
        assertEquals(ServerState.Transition.WENT_UP, state.record(PASS));
    }

    @Test
    void adminStatesDecideNewAndPersistentTraffic() {
        ServerState state = state(2, 3);
        assertTrue(state.setAdmin(ServerState.Admin.DRAIN));
        assertFalse(state.usable());
        assertTrue(state.acceptsPersistent(), "draining still takes persistent traffic");
        assertEquals(8, state.adminCode());
        assertTrue(state.setAdmin(ServerState.Admin.MAINT));
        assertFalse(state.acceptsPersistent());
        assertEquals(0, state.operationalCode());
        assertFalse(state.setAdmin(ServerState.Admin.MAINT));
        assertTrue(state.setAdmin(ServerState.Admin.READY));
        assertTrue(state.usable());
        assertEquals(2, state.health(), "checked: must pass its next check like a fresh server");
    }

    @Test
    void weightZeroStopsNewTrafficButNotPersistence() {
        ServerState state = state(2, 3);
        assertTrue(state.setWeight(0));
        assertFalse(state.usable());
        assertTrue(state.acceptsPersistent());
        assertTrue(state.setWeight(7));
        assertEquals(7, state.weight());
    }

    @Test
    void disabledInTheConfigStartsStoppedInMaintenance() {
        ServerState state = new ServerState(1, true, ServerHealth.NONE, now::get);
        assertFalse(state.usable());
        assertEquals(0, state.health());
        assertEquals(5, state.adminCode());
        assertEquals(8, state.checkStateCode());
        assertTrue(state.setAdmin(ServerState.Admin.READY));
        assertEquals(0, state.health(), "unchecked: up, its shown health left at 0 as HAProxy leaves it");
        assertTrue(state.usable());
    }

    @Test
    void disablingChecksBringsTheServerUp() {
        ServerState state = state(2, 3);
        state.record(FAIL);
        assertTrue(state.setChecksEnabled(false));
        assertTrue(state.usable());
        assertEquals(ServerState.Transition.NONE, state.record(FAIL), "results are ignored while disabled");
        assertTrue(state.usable());
        assertEquals(2, state.checkStateCode());
    }

    @Test
    void slowstartRampsTheWeightAfterRecoveryOnly() {
        ServerState state = new ServerState(10, false, ServerHealth.tcp(INTER, 1, 1)
                .withSlowstart(Duration.ofSeconds(10)), now::get);
        assertEquals(10, state.weight(), "no ramp at start-up");
        state.record(FAIL);
        assertEquals(ServerState.Transition.WENT_UP, state.record(PASS));
        assertTrue(state.ramping());
        assertEquals(1, state.weight(), "just up: the smallest weight");
        assertEquals(1, state.operationalCode(), "starting");
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertTrue(state.tick());
        assertEquals(3, state.weight());
        now.addAndGet(Duration.ofMillis(4_500).toNanos());
        state.tick();
        assertEquals(8, state.weight(), "7.5 s of 10 s: ceil(7.5)");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        state.tick();
        assertEquals(10, state.weight());
        assertFalse(state.ramping());
        assertEquals(2, state.operationalCode());
        assertEquals(1_000, state.rampStepMillis());
    }

    @Test
    void aRuntimeWeightChangeRampsToTheNewWeight() {
        ServerState state = new ServerState(10, false, ServerHealth.tcp(INTER, 1, 1)
                .withSlowstart(Duration.ofSeconds(10)), now::get);
        state.record(FAIL);
        state.record(PASS);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        state.setWeight(100);
        assertEquals(50, state.weight());
    }

    @Test
    void riseTwoFallTwoNeedsTwoPassesAfterDown() {
        ServerState state = state(2, 2);
        assertEquals(ServerState.Transition.NONE, state.record(PASS));
        assertEquals(ServerState.Transition.NONE, state.record(FAIL));
        assertEquals(ServerState.Transition.WENT_DOWN, state.record(FAIL));
        assertEquals(DOWN, state.nextInterval());
        assertEquals(ServerState.Transition.NONE, state.record(PASS));
        assertEquals(FAST, state.nextInterval());
        assertEquals(ServerState.Transition.WENT_UP, state.record(PASS));
    }

    @Test
    void aReloadKeepsDownDrainAndARuntimeWeight() {
        ServerState before = state(2, 3);
        before.record(FAIL);
        before.setAdmin(ServerState.Admin.DRAIN);
        before.setWeight(3);
        ServerState after = state(2, 3);
        after.carryOver(before);
        assertFalse(after.up(), "a DOWN server stays DOWN until its checks pass");
        assertEquals(ServerState.Admin.DRAIN, after.admin());
        assertEquals(3, after.userWeight());
        after.record(PASS);
        assertEquals(ServerState.Transition.WENT_UP, after.record(PASS));
    }

    @Test
    void aReloadEndsAMaintenanceThatCameFromTheOldConfig() {
        ServerState before = new ServerState(10, true, ServerHealth.tcp(INTER, 2, 3), now::get);
        ServerState after = state(2, 3);
        after.carryOver(before);
        assertEquals(ServerState.Admin.READY, after.admin());
        assertEquals(10, after.userWeight());
    }

    private ServerState observed(int rise, int fall, ServerObserve.Layer layer, int limit, ServerObserve.OnError action) {
        return new ServerState(10, false, ServerHealth.tcp(INTER, rise, fall).withIntervals(FAST, DOWN)
                .withObserve(new ServerObserve(layer, limit, action)), now::get);
    }

    @Test
    void layer7ErrorsInARowFailACheckAndASuccessClearsTheCount() {
        ServerState state = observed(2, 3, ServerObserve.Layer.LAYER7, 3, ServerObserve.OnError.FAIL_CHECK);
        state.record(PASS);
        assertEquals(4, state.health());
        assertEquals(null, state.observed(ServerObserve.Event.HTTP_BAD_STATUS));
        assertEquals(null, state.observed(ServerObserve.Event.HTTP_READ_TIMEOUT));
        assertEquals(null, state.observed(ServerObserve.Event.HTTP_OK), "a good response clears the count");
        assertEquals(null, state.observed(ServerObserve.Event.CONNECTED), "layer 7 does not look at connects");
        assertEquals(null, state.observed(ServerObserve.Event.HTTP_BAD_STATUS));
        assertEquals(null, state.observed(ServerObserve.Event.HTTP_INVALID));
        ServerState.Observed triggered = state.observed(ServerObserve.Event.HTTP_CLOSED);
        assertEquals(ServerState.Transition.NONE, triggered.transition());
        assertEquals(CheckStatus.HANA, triggered.result().status());
        assertEquals("Detected 3 consecutive errors, last one was: Close from server (http)", triggered.result().info());
        assertEquals(3, state.health(), "one failed check");
        assertEquals(1, state.observedFailures());
        assertEquals(null, state.observed(ServerObserve.Event.HTTP_BAD_STATUS), "the count starts again");
    }

    @Test
    void eachOnErrorActionAsHaproxyDefinesIt() {
        ServerState fast = observed(2, 3, ServerObserve.Layer.LAYER4, 1, ServerObserve.OnError.FASTINTER);
        fast.record(PASS);
        assertEquals(ServerState.Transition.NONE, fast.observed(ServerObserve.Event.CONNECT_FAILED).transition());
        assertEquals(4, fast.health(), "fastinter leaves the health alone");

        ServerState sudden = observed(2, 3, ServerObserve.Layer.LAYER4, 1, ServerObserve.OnError.SUDDEN_DEATH);
        sudden.record(PASS);
        assertEquals(ServerState.Transition.NONE, sudden.observed(ServerObserve.Event.CONNECT_FAILED).transition());
        assertTrue(sudden.usable());
        assertEquals(ServerState.Transition.WENT_DOWN, sudden.record(FAIL), "one more failure takes it down");

        ServerState down = observed(2, 3, ServerObserve.Layer.LAYER4, 2, ServerObserve.OnError.MARK_DOWN);
        down.record(PASS);
        assertEquals(null, down.observed(ServerObserve.Event.CONNECT_FAILED));
        assertEquals(ServerState.Transition.WENT_DOWN, down.observed(ServerObserve.Event.CONNECT_FAILED).transition());
        assertFalse(down.usable());
        assertEquals(null, down.observed(ServerObserve.Event.HTTP_BAD_STATUS), "layer 4 ignores HTTP statuses");
    }

    @Test
    void statusesAsLayer7JudgesThem() {
        assertEquals(ServerObserve.Event.HTTP_OK, ServerObserve.Event.ofStatus(404));
        assertEquals(ServerObserve.Event.HTTP_OK, ServerObserve.Event.ofStatus(501));
        assertEquals(ServerObserve.Event.HTTP_OK, ServerObserve.Event.ofStatus(505));
        assertEquals(ServerObserve.Event.HTTP_BAD_STATUS, ServerObserve.Event.ofStatus(500));
        assertEquals(ServerObserve.Event.HTTP_BAD_STATUS, ServerObserve.Event.ofStatus(503));
    }
}
