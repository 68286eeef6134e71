package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Server;
import io.netty.handler.codec.http.HttpRequest;

/**
 * {@code http-send-name-header NAME} (a backend's): just before the request goes to a server, every
 * {@code NAME} header is replaced by one carrying that server's name, on each attempt, so a retry
 * or a redispatch to another server names the one it is sent to (HAProxy 2.6).
 */
final class ServerNameHeader {

    private ServerNameHeader() {
    }

    static void apply(HttpRequest request, Route route, Server server) {
        String header = route.backend().plan().extras().sendNameHeader();
        if (header != null) {
            request.headers().set(header, server.name());
        }
    }
}
