package dev.sluice.balancer.dispatch;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;

/**
 * HAProxy's persistence and server rules for one request, in its order: the first matching
 * {@code force-persist} / {@code ignore-persist} rule sets the persistence mode; the first
 * matching {@code use-server} rule whose server is up (or may be used down: {@code option persist}
 * or a forced persistence) assigns the server, before any cookie.
 */
public final class ServerRules {

    /** What the persistence rules decided for a request. */
    public enum Persistence {
        /** No rule matched: cookies and stick rules apply, to servers that are up. */
        NORMAL,
        /** {@code force-persist}: a down server is used anyway, and never left by a redispatch. */
        FORCE,
        /** {@code ignore-persist}: the persistence cookie is neither read nor set. */
        IGNORE
    }

    private ServerRules() {
    }

    public static Persistence persistence(DispatchPlan plan, RequestView request) {
        for (DispatchPlan.PersistRule rule : plan.persistRules()) {
            if (rule.condition().test(request)) {
                return rule.force() ? Persistence.FORCE : Persistence.IGNORE;
            }
        }
        return Persistence.NORMAL;
    }

    /**
     * The server the first matching {@code use-server} rule names, skipping rules whose server is
     * down unless {@code acceptDown}; null when none assigns one.
     */
    public static Server useServer(DispatchPlan plan, Backend backend, RequestView request, boolean acceptDown) {
        for (UseServerRule rule : plan.useServers()) {
            if (!rule.condition().test(request)) {
                continue;
            }
            Server server = backend.server(rule.server());
            if (server != null && (acceptDown || server.acceptsPersistent())) {
                return server;
            }
        }
        return null;
    }
}
