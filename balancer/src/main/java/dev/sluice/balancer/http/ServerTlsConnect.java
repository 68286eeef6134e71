package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Connector;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.tls.ServerTlsContext;
import dev.sluice.balancer.tls.TlsConnect;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * Opens a connection to a server for a request: in clear, or for an {@code ssl} server with the TLS
 * handshake done before the future completes, the {@code sni} expression evaluated over the request.
 */
final class ServerTlsConnect {
    private ServerTlsConnect() {
    }

    /** @param request the request the connection is for; null for none (then no {@code sni} value) */
    static ChannelFuture connect(Connector connector, EventLoop loop, Server server, InetSocketAddress address,
                                 ConnectionFacts facts, HttpRequest request) {
        ServerTlsContext tls = server.tls();
        if (tls == null || request == null || facts == null || tls.settings().sni().isEmpty()) {
            return TlsConnect.open(connector, loop, server, address, null);
        }
        facts.request(request); // the sni expression reads the request (req.hdr(host)…)
        try {
            return TlsConnect.open(connector, loop, server, address, facts);
        } finally {
            facts.request(null);
        }
    }
}
