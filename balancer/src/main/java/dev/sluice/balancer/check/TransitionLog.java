package dev.sluice.balancer.check;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Logs each UP/DOWN transition once, in HAProxy's words, e.g. {@code Server be/srv is DOWN, reason: Layer4
 * connection problem, info: "Connection refused", check duration: 1ms. 1 active and 0 backup servers left.
 * 0 sessions active, 0 requeued, 0 remaining in queue.}
 */
public final class TransitionLog {
    private static final Logger LOG = LogManager.getLogger(TransitionLog.class);

    /** The line for a check transition (separate from logging so tests can read it). */
    public static String line(Backend backend, Server server, ServerState.Transition transition, CheckResult result) {
        int[] left = usable(backend);
        String who = "Server " + backend.name() + "/" + server.name();
        if (transition == ServerState.Transition.WENT_DOWN) {
            return who + " is DOWN, " + result.describe() + ". " + left[0] + " active and " + left[1]
                    + " backup servers left. " + server.busy() + " sessions active, 0 requeued, "
                    + backend.queued() + " remaining in queue.";
        }
        return who + " is UP, " + result.describe() + ". " + left[0] + " active and " + left[1]
                + " backup servers online. 0 sessions requeued, " + backend.queued() + " total in queue.";
    }

    /** The line for an admin change: {@code Server be/srv is going DOWN for maintenance. …}. */
    public static String adminLine(Backend backend, Server server, String what) {
        int[] left = usable(backend);
        return "Server " + backend.name() + "/" + server.name() + " " + what + ". " + left[0] + " active and "
                + left[1] + " backup servers left. " + server.busy() + " sessions active, 0 requeued, "
                + backend.queued() + " remaining in queue.";
    }

    /**
     * A change that leaves the server serving, with HAProxy's "online" tail: {@code Server be/srv enters drain
     * state. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.} ({@code counts} false:
     * the sentence alone, as for "is UP (leaving forced drain)").
     */
    public static String onlineLine(Backend backend, Server server, String what, boolean counts) {
        int[] left = usable(backend);
        String who = "Server " + backend.name() + "/" + server.name() + " " + what + ".";
        return !counts ? who : who + " " + left[0] + " active and " + left[1] + " backup servers online. 0 sessions "
                + "requeued, " + backend.queued() + " total in queue.";
    }

    /** Logs an {@link #onlineLine}. */
    public static void online(Backend backend, Server server, String what, boolean counts) {
        LOG.warn(onlineLine(backend, server, what, counts));
        noneLeft(backend);
    }

    public void transition(Backend backend, Server server, ServerState.Transition transition, CheckResult result) {
        LOG.warn(line(backend, server, transition, result));
        noneLeft(backend);
    }

    public static void admin(Backend backend, Server server, String what) {
        LOG.warn(adminLine(backend, server, what));
        noneLeft(backend);
    }

    private static void noneLeft(Backend backend) {
        if (!backend.serverSet().hasUsableServer()) {
            LOG.error("backend '{}' has no server available!", backend.name());
        }
    }

    /** Usable active and backup servers. */
    private static int[] usable(Backend backend) {
        int[] counts = new int[2];
        for (Server server : backend.servers()) {
            if (server.usable()) {
                counts[server.plan().backup() ? 1 : 0]++;
            }
        }
        return counts;
    }
}
