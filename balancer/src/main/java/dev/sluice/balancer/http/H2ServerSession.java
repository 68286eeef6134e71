package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.runtime.ServerConnections;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One HTTP/2 connection to a {@code proto h2} server, on one event loop, and the last handler of its
 * pipeline: it hands out streams (child channels, see {@link H2ServerStreams}) to the exchanges of that
 * loop while the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} leaves room, and stops taking new ones
 * after the server's GOAWAY (the streams it let through finish; the connection closes after the last).
 *
 * <p>Requests asked for while the connection is being opened wait here and get their streams once the
 * server's first SETTINGS frame has told its stream limit (beyond it, Netty's encoder holds a stream back
 * until another closes), or the failure if that never comes. With no stream open for {@code pool-purge-delay} the connection
 * closes, as HAProxy purges idle server connections.
 */
final class H2ServerSession extends ChannelInboundHandlerAdapter {
    static final String NAME = "h2-server-session";

    /**
     * Streams a connection takes on before the server's SETTINGS say how many it allows (RFC 9113
     * §6.5.2 advises at least 100): requests that come while it opens wait for them.
     */
    static final int STREAMS_BEFORE_SETTINGS = 100;
    /** RFC 9113 §6.9.2: a connection's window before any WINDOW_UPDATE. */
    private static final int DEFAULT_WINDOW = 65_535;
    /** Set on a stream that rides on a connection which already carried one: a reused connection. */
    private static final AttributeKey<Boolean> REUSED = AttributeKey.valueOf(H2ServerSession.class, "reused");

    private final Server server;
    /** {@code http-reuse never}: the connection carries one request and closes after it. */
    private final boolean dedicated;
    private final Runnable onGone;
    private final ArrayDeque<Consumer<ChannelFuture>> waiting = new ArrayDeque<>(4);
    private Channel channel;
    private Http2StreamChannelBootstrap streams;
    private boolean ready;
    private boolean gone;
    private boolean goingAway;
    private int open;
    private long opened;
    private long maxStreams = STREAMS_BEFORE_SETTINGS;
    private ScheduledFuture<?> idleClose;
    /** Set once the connection failed or closed: what a late request for a stream is told. */
    private ChannelFuture failed;

    /**
     * @param dedicated true for a connection of one request ({@code http-reuse never})
     * @param onGone    told once when this connection may take no more streams (GOAWAY, closed, failed)
     */
    H2ServerSession(Server server, boolean dedicated, Runnable onGone) {
        this.server = server;
        this.dedicated = dedicated;
        this.onGone = onGone;
    }

    /** True when a new stream may be asked of this connection now. */
    boolean hasRoom() {
        if (gone || goingAway || dedicated) {
            return false;
        }
        int maxReuse = server.plan().connections().maxReuse();
        // max-reuse counts the streams after the connection's first one, as HAProxy counts reuses.
        boolean reuseLeft = maxReuse == ServerConnections.UNLIMITED || opened + waiting.size() <= maxReuse;
        return reuseLeft && open + waiting.size() < maxStreams;
    }

    /** Opens a stream for {@code done} now, or once the connection is up. */
    void open(Consumer<ChannelFuture> done) {
        cancelIdleClose();
        if (failed != null) {
            done.accept(failed);
        } else if (ready) {
            openNow(done);
        } else {
            waiting.add(done);
        }
    }

    /** Whether {@code stream} rides on a connection that carried a stream before it. */
    static boolean reused(Channel stream) {
        // hasAttr first: asking attr() of an HTTP/1.1 connection would add an attribute to it.
        return stream.hasAttr(REUSED) && Boolean.TRUE.equals(stream.attr(REUSED).get());
    }

    /**
     * The outcome of connecting {@link #channel}: on success the connection starts, and the waiting
     * streams open once the server's first SETTINGS frame says how many it takes (within
     * {@code settingsTimeout}, {@code timeout connect}); on failure they all fail.
     */
    void connected(ChannelFuture connect, ChannelHandler streamInitializer, Duration settingsTimeout) {
        if (!connect.isSuccess()) {
            leave();
            failed = connect;
            failWaiting(connect);
            return;
        }
        streams = new Http2StreamChannelBootstrap(channel)
                .option(ChannelOption.AUTO_READ, false)
                .handler(streamInitializer);
        // Each stream's window bounds what the server sends it; the connection window covers them all.
        int connectionWindow = H2ServerStreams.connectionWindow();
        if (connectionWindow > DEFAULT_WINDOW) {
            channel.write(new DefaultHttp2WindowUpdateFrame(connectionWindow - DEFAULT_WINDOW));
        }
        channel.flush();
        // Frames are read as they come: per-stream flow control, not read demand, bounds what waits.
        channel.config().setAutoRead(true);
        if (!settingsTimeout.isZero()) {
            channel.eventLoop().schedule(() -> {
                if (!ready) {
                    // Not an HTTP/2 server, or a stalled one: the waiting requests fail (and may retry).
                    channel.close();
                }
            }, settingsTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The server's first SETTINGS: its stream limit is known, the waiting requests get their streams. */
    private void start() {
        ready = true;
        Consumer<ChannelFuture> next;
        while ((next = waiting.poll()) != null) {
            openNow(next);
        }
        channel.flush();
    }

    private void openNow(Consumer<ChannelFuture> done) {
        boolean reuse = opened > 0;
        open++;
        opened++;
        streams.open().addListener(f -> {
            if (!f.isSuccess()) {
                // The connection itself is broken: nothing more goes on it.
                open--;
                channel.close();
                done.accept(channel.newFailedFuture(f.cause()));
                return;
            }
            Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
            if (reuse) {
                stream.attr(REUSED).set(Boolean.TRUE);
            }
            stream.closeFuture().addListener(c -> streamClosed());
            done.accept(stream.newSucceededFuture());
        });
    }

    private void streamClosed() {
        open--;
        if (open > 0 || !waiting.isEmpty()) {
            return;
        }
        if (goingAway || dedicated) {
            channel.close();
            return;
        }
        long idleMillis = server.plan().connections().poolPurgeDelay().toMillis();
        if (idleMillis <= 0 || server.plan().connections().keepsNoIdle()) {
            channel.close();
            return;
        }
        idleClose = channel.eventLoop().schedule(() -> {
            if (open == 0 && waiting.isEmpty()) {
                channel.close();
            }
        }, idleMillis, TimeUnit.MILLISECONDS);
    }

    private void cancelIdleClose() {
        if (idleClose != null) {
            idleClose.cancel(false);
            idleClose = null;
        }
    }

    private void failWaiting(ChannelFuture failure) {
        Consumer<ChannelFuture> next;
        while ((next = waiting.poll()) != null) {
            next.accept(failure);
        }
    }

    private void leave() {
        if (!gone) {
            gone = true;
            onGone.run();
        }
    }

    // ---- the connection's own frames -----------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame settings) {
                Long max = settings.settings().maxConcurrentStreams();
                if (max != null) {
                    maxStreams = max;
                }
                if (!ready && !gone) {
                    start();
                }
            } else if (msg instanceof Http2GoAwayFrame) {
                // The streams the server took finish; the others were told by the multiplexer.
                goingAway = true;
                leave();
                if (open == 0) {
                    ctx.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelIdleClose();
        leave();
        failed = ctx.channel().newFailedFuture(new ClosedChannelException());
        failWaiting(failed);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A connection error: Netty sent GOAWAY already; its streams learn as their channels close.
        ctx.close();
    }
}
