package dev.sluice.balancer.check;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import dev.sluice.balancer.log.BackendLog;

/**
 * What HAProxy 2.6 sends to a backend's {@code log} targets about its checks: with {@code option
 * log-health-checks}, each check that moves the health counter ({@code Health check for server
 * be/s1 failed, reason: …, check duration: 0ms, status: 0/2 DOWN.}); and each UP/DOWN transition
 * ({@code Server be/s1 is DOWN. 0 active and 1 backup servers left. Running on backup. …}), which
 * leaves the check's details out when the check itself was logged, then {@code backend be has no
 * server available!} when none is left.
 */
final class CheckLog {
    /** Where the lines go, at HAProxy's severities. */
    interface Sink {
        void notice(String line);

        void alert(String line);

        void emergency(String line);
    }

    private final boolean enabled;
    private final boolean healthChecks;
    private final Sink log;

    CheckLog(BackendLog log) {
        this(log.enabled(), log.healthChecks(), new Sink() {
            @Override
            public void notice(String line) {
                log.notice(line);
            }

            @Override
            public void alert(String line) {
                log.alert(line);
            }

            @Override
            public void emergency(String line) {
                log.emergency(line);
            }
        });
    }

    /**
     * @param enabled      whether the backend has log targets (transitions are logged)
     * @param healthChecks {@code option log-health-checks}
     */
    CheckLog(boolean enabled, boolean healthChecks, Sink log) {
        this.enabled = enabled;
        this.healthChecks = healthChecks && enabled;
        this.log = log;
    }

    /**
     * A check finished: {@code before} is the health counter it started from; the server's state
     * holds the counter after it. HAProxy logs a failure unless the counter was at 0 already, a
     * success unless it was at the top.
     */
    void checked(Backend backend, Server server, int before, CheckResult result) {
        if (!healthChecks) {
            return;
        }
        ServerState state = server.state();
        int rise = state.rise();
        int fall = state.fall();
        boolean moved = result.passed() ? before != rise + fall - 1 : before != 0;
        if (!moved) {
            return;
        }
        int health = state.health();
        String status = health >= rise
                ? (health - rise + 1) + "/" + fall + (state.userWeight() > 0 ? " UP" : " DRAIN")
                : health + "/" + rise + " DOWN";
        log.notice("Health check for " + (server.plan().backup() ? "backup " : "") + "server " + backend.name() + "/"
                + server.name() + (result.passed() ? " succeeded, " : " failed, ") + result.describe() + ", status: "
                + status + ".");
    }

    /** A check changed the server's state. */
    void transition(Backend backend, Server server, ServerState.Transition transition, CheckResult result) {
        if (!enabled) {
            return;
        }
        int active = 0;
        int backup = 0;
        for (Server s : backend.servers()) {
            if (s.usable()) {
                if (s.plan().backup()) {
                    backup++;
                } else {
                    active++;
                }
            }
        }
        String details = healthChecks ? "" : ", " + result.describe();
        String onBackup = active == 0 && backup > 0 ? " Running on backup." : "";
        String who = "Server " + backend.name() + "/" + server.name();
        if (transition == ServerState.Transition.WENT_DOWN) {
            log.alert(who + " is DOWN" + details + ". " + active + " active and " + backup + " backup servers left."
                    + onBackup + " " + server.busy() + " sessions active, 0 requeued, " + backend.queued()
                    + " remaining in queue.");
            if (active == 0 && backup == 0) {
                log.emergency("backend " + backend.name() + " has no server available!");
            }
        } else {
            log.notice(who + " is UP" + details + ". " + active + " active and " + backup + " backup servers online."
                    + onBackup + " 0 sessions requeued, " + backend.queued() + " total in queue.");
        }
    }
}
