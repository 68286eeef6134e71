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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lines a backend's log gets about its checks, in HAProxy 2.6's words (as Debian's haproxy
 * sent them to syslog; AccessLogExtrasIT compares them live): with log-health-checks, each check
 * that moves the health counter, with the counter after it; each transition, without the check's
 * details when the check was logged; "Running on backup" and "no server available".
 */
class CheckLogTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);
    private static final ServerHealth CHECKED = ServerHealth.tcp(Duration.ofSeconds(2), 2, 2);
    private static final CheckResult REFUSED = new CheckResult(CheckStatus.L4CON, 0, "Connection refused", 0);
    private static final CheckResult PASSED = new CheckResult(CheckStatus.L4OK, 0, "", 0);

    private final Backend backend = new Backend(new BackendPlan("be", Mode.HTTP, List.of(
            new ServerPlan("s1", ADDRESS, 1, 0, false, false, 0).withHealth(CHECKED),
            new ServerPlan("spare", ADDRESS, 1, 0, false, true, 0).withHealth(CHECKED)),
            Timeouts.NONE, 3, false, ForwardFor.DISABLED, Map.of()));
    private final List<String> lines = new ArrayList<>();
    private final CheckLog.Sink sink = new CheckLog.Sink() {
        @Override
        public void notice(String line) {
            lines.add("notice " + line);
        }

        @Override
        public void alert(String line) {
            lines.add("alert " + line);
        }

        @Override
        public void emergency(String line) {
            lines.add("emerg " + line);
        }
    };

    private void check(CheckLog log, String name, CheckResult result) {
        Server server = backend.server(name);
        int before = server.state().health();
        ServerState.Transition transition = server.state().record(result);
        log.checked(backend, server, before, result);
        if (transition != ServerState.Transition.NONE) {
            backend.refresh();
            log.transition(backend, server, transition, result);
        }
    }

    @Test
    void everyCheckThatMovesTheCounterThenTheTransitionWithoutDetails() {
        CheckLog log = new CheckLog(true, true, sink);
        check(log, "s1", REFUSED);
        check(log, "s1", REFUSED);
        check(log, "s1", PASSED);
        check(log, "s1", PASSED);
        check(log, "s1", PASSED);
        assertEquals(List.of(
                "notice Health check for server be/s1 failed, reason: Layer4 connection problem, info: \"Connection "
                        + "refused\", check duration: 0ms, status: 0/2 DOWN.",
                "alert Server be/s1 is DOWN. 0 active and 1 backup servers left. Running on backup. 0 sessions "
                        + "active, 0 requeued, 0 remaining in queue.",
                "notice Health check for server be/s1 succeeded, reason: Layer4 check passed, check duration: 0ms, "
                        + "status: 1/2 DOWN.",
                "notice Health check for server be/s1 succeeded, reason: Layer4 check passed, check duration: 0ms, "
                        + "status: 2/2 UP.",
                "notice Server be/s1 is UP. 1 active and 1 backup servers online. 0 sessions requeued, 0 total in "
                        + "queue."), lines);
    }

    @Test
    void withoutTheOptionOnlyTransitionsWithTheirDetailsAndTheLastServerGone() {
        CheckLog log = new CheckLog(true, false, sink);
        check(log, "spare", REFUSED);
        check(log, "s1", REFUSED);
        assertEquals(List.of(
                "alert Server be/spare is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", "
                        + "check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 "
                        + "remaining in queue.",
                "alert Server be/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check "
                        + "duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 "
                        + "remaining in queue.",
                "emerg backend be has no server available!"), lines);
    }

    @Test
    void aBackupServersCheckSaysSoAndNothingGoesOutWithoutTargets() {
        check(new CheckLog(true, true, sink), "spare", PASSED);
        assertEquals(List.of("notice Health check for backup server be/spare succeeded, reason: Layer4 check passed, "
                + "check duration: 0ms, status: 2/2 UP."), lines);
        lines.clear();
        CheckLog off = new CheckLog(false, true, sink);
        check(off, "s1", REFUSED);
        assertEquals(List.of(), lines);
    }

    @Test
    void tcpCheckResultsInTheirHaproxyWords() {
        CheckLog log = new CheckLog(true, true, sink);
        check(log, "s1", new CheckResult(CheckStatus.L7OK, 0, "Redis server is ok", 0));
        check(log, "s1", new CheckResult(CheckStatus.L7RSP, 0, "TCPCHK did not match content 'nope' at step 1", 61));
        assertEquals(List.of(
                "notice Health check for server be/s1 succeeded, reason: Layer7 check passed, code: 0, info: \"Redis "
                        + "server is ok\", check duration: 0ms, status: 2/2 UP.",
                "notice Health check for server be/s1 failed, reason: Layer7 invalid response, info: \"TCPCHK did not "
                        + "match content 'nope' at step 1\", check duration: 61ms, status: 1/2 UP."), lines);
    }
}
