package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Connector;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.tls.ServerTlsContext;
import dev.sluice.balancer.tls.TlsConnect;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Opens a connection to a server for a request: in clear, or for an {@code ssl} server with the TLS
 * handshake done before the future completes, the {@code sni} expression evaluated over the request.
 * A connection keeps the SNI it was made with: as in HAProxy 2.6, an idle one serves again only a request
 * whose {@code sni} value is the same.
 */
final class ServerTlsConnect {
    private static final AttributeKey<String> SNI = AttributeKey.valueOf(ServerTlsConnect.class, "sni");

    private ServerTlsConnect() {
    }

    /**
     * {@code idle}, or null (and {@code idle} closed) when the server's {@code sni} expression gives another
     * value for {@code request} than the one the connection was made with.
     */
    static Channel fitting(Channel idle, Server server, ConnectionFacts facts, HttpRequest request) {
        ServerTlsContext tls = server.tls();
        if (idle == null || tls == null || tls.settings().sni().isEmpty() || request == null) {
            return idle;
        }
        facts.request(request);
        String sni = tls.sni(facts);
        facts.request(null);
        if (Objects.equals(sni, idle.attr(SNI).get())) {
            return idle;
        }
        idle.close();
        return null;
    }

    /** @param request the request the connection is for; null for none (then no {@code sni} value) */
    static ChannelFuture connect(Connector connector, EventLoop loop, Server server, InetSocketAddress address,
                                 ConnectionFacts facts, HttpRequest request) {
        ServerTlsContext tls = server.tls();
        if (tls == null || request == null || facts == null || tls.settings().sni().isEmpty()) {
            return TlsConnect.open(connector, loop, server, address, (String) null);
        }
        facts.request(request); // the sni expression reads the request (req.hdr(host)…)
        String sni = tls.sni(facts);
        facts.request(null);
        ChannelFuture connect = TlsConnect.open(connector, loop, server, address, sni);
        connect.channel().attr(SNI).set(sni);
        return connect;
    }
}
