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
        ChannelFuture connect = connector.connect(loop, address);
        ServerTlsContext tls = server.tls();
        if (tls == null || !tls.traffic()) {
            return connect;
        }
        String sni = null;
        if (request != null && facts != null && tls.settings().sni().isPresent()) {
            facts.request(request);
            sni = tls.sni(facts);
            facts.request(null);
        }
        return TlsConnect.handshake(connect, tls.newHandler(connect.channel().alloc(), address, sni,
                TlsConnect.handshakeTimeout(connector.connectTimeout())));
    }
}
