package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;

/**
 * {@code option prefer-last-server}: a kept-alive client's next request goes to the server of the
 * connection kept private to that client while the server is usable and has a free slot. As in
 * HAProxy 2.6, only a private connection counts ({@code http-reuse never}, PROXY-header servers):
 * with shared idle connections (the default {@code http-reuse safe}) the option changes nothing.
 * Never for a hashing algorithm (deterministic already) nor where a persistence cookie names a
 * server; backends with {@code stick} rules keep to those rules.
 */
final class PreferLastServer {

    private PreferLastServer() {
    }

    /** A slot on {@code last} (the private connection's server) when the backend prefers it and it can take the request now. */
    static Server take(Backend backend, Server last) {
        if (last == null || !backend.plan().tuning().preferLastServer()
                || backend.plan().balance().algorithm().hashesKey() || !backend.plan().stick().isEmpty()
                || backend.server(last.name()) != last || !last.usable()) {
            return null;
        }
        return last.tryTake() ? last : null;
    }
}
