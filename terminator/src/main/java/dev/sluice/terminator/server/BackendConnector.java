package dev.sluice.terminator.server;

import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.common.relay.Relay;
import dev.sluice.common.relay.RelayEnd;
import dev.sluice.common.relay.RelayStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Takes a client connection from accept to relay, in hitch's order: finish the TLS handshake
 * (within the deadline), build the PROXY header, connect to the backend on the client's event
 * loop, write the header and whatever the client already sent, then hand both channels to the
 * relay and leave the pipeline. One instance per connection.
 */
final class BackendConnector extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(BackendConnector.class);

    private final ConnectionSettings settings;
    private String sni;
    /** Bytes decoded in the read that finished the handshake; at most one read's worth. */
    private final List<Object> early = new ArrayList<>(1);
    private ScheduledFuture<?> deadline;
    private boolean handshakeFailureCounted;
    private boolean handshakeDone;
    /** The client ended its input (FIN or close_notify) before the relay ran; the relay passes it on. */
    private boolean clientInputEnded;
    private Channel backend;

    BackendConnector(ConnectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        settings.counters().accepted();
        ctx.channel().closeFuture().addListener(f -> settings.counters().closed());
        Duration timeout = settings.handshakeTimeout();
        deadline = ctx.executor().schedule(() -> handshakeExpired(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
        // autoRead is off: this first read starts the handshake; the TLS handlers read on until it ends.
        ctx.read();
        ctx.fireChannelActive();
    }

    private void handshakeExpired(ChannelHandlerContext ctx) {
        handshakeFailureCounted = true;
        settings.counters().handshakeFailed(HandshakeFailure.TIMEOUT);
        log.debug("{}: {}", ctx.channel().remoteAddress(), HandshakeFailure.TIMEOUT.sentence());
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // No further reads until the relay runs: the TLS handlers read for themselves while handshaking.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE || evt instanceof SslCloseCompletionEvent) {
            clientInputEnded = true;
            if (!handshakeDone) {
                // Nothing more will come to finish the handshake with.
                ctx.close();
            }
        } else if (evt instanceof SniCompletionEvent sniEvent) {
            sni = sniEvent.hostname();
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            deadline.cancel(false);
            if (handshake.isSuccess()) {
                handshakeDone(ctx);
            } else {
                handshakeFailed(ctx, handshake.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void handshakeFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (!handshakeFailureCounted) {
            handshakeFailureCounted = true;
            HandshakeFailure failure = HandshakeFailure.of(cause);
            settings.counters().handshakeFailed(failure);
            log.debug("{}: handshake failed ({}): {}", ctx.channel().remoteAddress(), failure.code(), cause.toString());
        }
        ctx.close();
    }

    private void handshakeDone(ChannelHandlerContext ctx) {
        handshakeDone = true;
        Channel client = ctx.channel();
        TlsFacts tls = TlsFacts.of(client.pipeline().get(SslHandler.class), sni);
        settings.counters().handshake(tls.resumed());
        ChannelFuture connecting = settings.backend().connect(client);
        backend = connecting.channel();
        connecting.addListener(f -> connected(ctx, tls, connecting));
    }

    private void connected(ChannelHandlerContext ctx, TlsFacts tls, ChannelFuture connecting) {
        Channel client = ctx.channel();
        if (!client.isActive()) {
            // The client left while we connected (channelInactive closed the backend, which fails
            // the connect): not the backend's fault, so neither counted nor logged as one.
            backend.close();
            return;
        }
        if (!connecting.isSuccess()) {
            settings.counters().backendConnectFailed();
            log.warn("backend {} unreachable for {}: {}", settings.backend().address(), client.remoteAddress(),
                     connecting.cause().toString());
            client.close();
            return;
        }
        // proxy-proxy: the PROXY decoder stored the client's own header on the connection
        ProxyHeader header = client.attr(ProxyHeader.ATTRIBUTE).get();
        settings.headerWriter().write(backend, (InetSocketAddress) client.remoteAddress(),
                                      (InetSocketAddress) client.localAddress(), tls, header);
        for (Object msg : early) {
            backend.write(msg, backend.voidPromise());
        }
        early.clear();
        backend.flush();
        ctx.pipeline().remove(this);
        // The backend's FIN ends the connection, as in hitch (an idle client may never close its side).
        Relay.start(client, backend, settings.idleTimeout(), this::relayEnded, true);
        if (clientInputEnded) {
            client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    private void relayEnded(RelayStats stats) {
        settings.counters().relayed(stats.clientToBackend(), stats.backendToClient(), stats.end() == RelayEnd.IDLE_TIMEOUT);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (backend != null) {
            backend.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Whatever was not handed on (the connection closed first) is released here.
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
