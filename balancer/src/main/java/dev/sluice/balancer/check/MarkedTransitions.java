package dev.sluice.balancer.check;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import dev.sluice.balancer.runtime.MarkedActions;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** {@code on-marked-down shutdown-sessions} and {@code on-marked-up shutdown-backup-sessions}, after a health transition. */
final class MarkedTransitions {
    private static final Logger log = LogManager.getLogger(MarkedTransitions.class);

    private MarkedTransitions() {
    }

    static void apply(Backend backend, Server server, ServerState.Transition transition) {
        MarkedActions marked = server.plan().health().marked();
        if (transition == ServerState.Transition.WENT_DOWN && marked.downShutsSessions()) {
            int closed = server.closeConnections();
            log.info("{}/{} is DOWN: closed its {} connection(s) (on-marked-down shutdown-sessions)",
                    backend.plan().name(), server.name(), closed);
        }
        // As HAProxy: only an active server that carries traffic (weight > 0) sends clients back from the backups.
        if (transition == ServerState.Transition.WENT_UP && marked.upShutsBackupSessions() && !server.plan().backup()
                && server.state().weight() > 0) {
            int closed = 0;
            for (Server other : backend.servers()) {
                if (other.plan().backup()) {
                    closed += other.closeConnections();
                }
            }
            log.info("{}/{} is UP: closed {} connection(s) to backup servers (on-marked-up shutdown-backup-sessions)",
                    backend.plan().name(), server.name(), closed);
        }
    }
}
