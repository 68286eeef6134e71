package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.lb.PickContext;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.StickPersistence;
import dev.sluice.balancer.stick.StickTables;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * Server choice with the backend's {@code stick} rules: the server a match rule finds for the
 * request, when it is usable and has a free slot; else the balance algorithm's. The chosen server
 * is then stored by the store rules. Without stick rules this is {@link Backend#takeFor}.
 */
final class StickyServers {

    private StickyServers() {
    }

    static Server take(Backend backend, StickTables tables, ConnectionFacts facts, HttpRequest request,
                       PickContext pick) {
        StickPersistence stick = backend.plan().stick();
        if (stick.isEmpty()) {
            return backend.takeFor(pick);
        }
        facts.request(request);
        try {
            List<Server> servers = backend.servers();
            int known = stick.match(facts, tables);
            Server chosen = null;
            if (known >= 0) {
                Server server = servers.get(known);
                if (server.usable() && server.tryTake()) {
                    chosen = server;
                }
            }
            if (chosen == null) {
                chosen = backend.takeFor(pick);
            }
            if (chosen != null) {
                stick.store(facts, tables, servers.indexOf(chosen));
            }
            return chosen;
        } finally {
            facts.request(null);
        }
    }
}
