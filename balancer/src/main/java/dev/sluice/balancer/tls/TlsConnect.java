package dev.sluice.balancer.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * Runs a new server connection's TLS handshake before anyone writes on it: the returned future succeeds
 * once the handshake is done, or fails with the connect's cause or the handshake's (and the connection is
 * closed), so callers treat a TLS failure as the connect failure it is in HAProxy (retries, redispatch,
 * 503 and {@code SC} in the log). The handler goes first in the pipeline: what comes after (PROXY-free
 * HTTP codec, HTTP/2 frames, a relay) sees clear text.
 */
public final class TlsConnect {
    /** The name of the TLS handler in a server connection's pipeline. */
    public static final String NAME = "server-tls";

    private TlsConnect() {
    }

    /**
     * Opens a connection to {@code server} at {@code address}: in clear, or for an {@code ssl} server with
     * the handshake done before the future completes.
     *
     * @param sniInput what the {@code sni} expression reads; null for no SNI value
     */
    public static ChannelFuture open(dev.sluice.balancer.backend.Connector connector, io.netty.channel.EventLoop loop,
                                     dev.sluice.balancer.backend.Server server, java.net.InetSocketAddress address,
                                     dev.sluice.balancer.acl.RequestView sniInput) {
        ChannelFuture connect = connector.connect(loop, address);
        ServerTlsContext tls = server.tls();
        if (tls == null || !tls.traffic()) {
            return connect;
        }
        return handshake(connect, tls.newHandler(connect.channel().alloc(), address, tls.sni(sniInput),
                handshakeTimeout(connector.connectTimeout())));
    }

    /**
     * @param connect    the connection being opened (its pipeline built already)
     * @param handler    from {@link ServerTlsContext#newHandler} or {@link ServerTlsContext#newCheckHandler}
     */
    public static ChannelFuture handshake(ChannelFuture connect, SslHandler handler) {
        Channel channel = connect.channel();
        ChannelPromise done = channel.newPromise();
        channel.pipeline().addFirst(NAME, handler);
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                done.tryFailure(f.cause());
                return;
            }
            // Reads are on demand (autoRead off): the handshake asks for the server's flights itself.
            channel.read();
        });
        handler.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                done.trySuccess();
            } else {
                if (done.tryFailure(f.cause())) {
                    channel.close();
                }
            }
        });
        return done;
    }

    /** The time a handshake may take: what is left of {@code timeout connect} is simplest bounded by all of it. */
    public static Duration handshakeTimeout(Duration connectTimeout) {
        return connectTimeout.isZero() ? Duration.ofSeconds(10) : connectTimeout;
    }

    /** The ALPN protocol the server chose on {@code channel}, or null (no TLS, or no ALPN). */
    public static String negotiated(Channel channel) {
        SslHandler handler = (SslHandler) channel.pipeline().get(NAME);
        return handler == null ? null : handler.applicationProtocol();
    }
}
