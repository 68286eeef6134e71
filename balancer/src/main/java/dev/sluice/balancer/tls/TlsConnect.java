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
        ServerTlsContext tls = server.tls();
        return open(connector, loop, server, address, tls == null ? null : tls.sni(sniInput));
    }

    /** As the other {@code open}, with the SNI value already known (null: none). */
    public static ChannelFuture open(dev.sluice.balancer.backend.Connector connector, io.netty.channel.EventLoop loop,
                                     dev.sluice.balancer.backend.Server server, java.net.InetSocketAddress address,
                                     String sni) {
        ChannelFuture connect = connector.connect(loop, address, server.plan().source()); // source ADDR
        ServerTlsContext tls = server.tls();
        if (tls == null || !tls.traffic()) {
            return connect;
        }
        return handshake(connect, tls.newHandler(connect.channel().alloc(), address, sni,
                handshakeTimeout(connector.connectTimeout())));
    }

    /**
     * @param connect    the connection being opened (its pipeline built already)
     * @param handler    from {@link ServerTlsContext#newHandler} or {@link ServerTlsContext#newCheckHandler}
     */
    public static ChannelFuture handshake(ChannelFuture connect, SslHandler handler) {
        Channel channel = connect.channel();
        ChannelPromise done = channel.newPromise();
        channel.pipeline().addFirst(NAME, handler).addAfter(NAME, HandshakePhase.NAME, new HandshakePhase());
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
                if (channel.pipeline().get(HandshakePhase.NAME) != null) {
                    channel.pipeline().remove(HandshakePhase.NAME);
                }
                done.trySuccess();
            } else {
                if (done.tryFailure(f.cause())) {
                    channel.close();
                }
            }
        });
        return done;
    }

    /**
     * The time a handshake may take: {@code timeout connect}, as HAProxy counts a server connection
     * established only once its TLS is; Netty's default when no connect timeout is set.
     */
    public static Duration handshakeTimeout(Duration connectTimeout) {
        return connectTimeout.isZero() ? Duration.ofSeconds(10) : connectTimeout;
    }

    /**
     * While the handshake runs, its failure is reported by the handshake future (and counted as a connect
     * failure); the same exception travelling up the pipeline is dropped here instead of being logged as
     * unhandled. Leaves the pipeline when the handshake succeeds.
     */
    private static final class HandshakePhase extends io.netty.channel.ChannelInboundHandlerAdapter {
        static final String NAME = "server-tls-handshake";

        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
