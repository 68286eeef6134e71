package dev.sluice.common.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The state of one relay: its two handlers, the idle deadline and the totals. Event loop only. */
final class RelaySession {
    private static final Logger log = LogManager.getLogger(RelaySession.class);

    private final Side client;
    private final Side backend;
    /** The idle limit in force: shortened when a side ends and its fin timeout is shorter. */
    private long idleNanos;
    private final RelayPolicy policy;
    private final Consumer<RelayStats> onClose;
    private final boolean backendEndClosesBoth;
    private final RelayStats stats = new RelayStats();
    /** The event loop's clock, so tests on EmbeddedChannel can move time. */
    private final Ticker ticker;
    private long lastActivity;
    private ScheduledFuture<?> idleCheck;
    private int closedChannels;

    RelaySession(Channel clientChannel, Channel backendChannel, RelayPolicy policy, Consumer<RelayStats> onClose) {
        this.policy = policy;
        this.backendEndClosesBoth = policy.backendEndClosesBoth();
        this.client = new Side(clientChannel, true);
        this.backend = new Side(backendChannel, false);
        client.peer = backend;
        backend.peer = client;
        this.idleNanos = policy.idle().toNanos();
        this.onClose = onClose;
        this.ticker = clientChannel.eventLoop().ticker();
    }

    Side clientHandler() {
        return client;
    }

    Side backendHandler() {
        return backend;
    }

    RelayStats stats() {
        return stats;
    }

    void begin() {
        lastActivity = ticker.nanoTime();
        if (idleNanos > 0) {
            scheduleIdleCheck(idleNanos);
        }
        client.channel.closeFuture().addListener(this::channelClosed);
        backend.channel.closeFuture().addListener(this::channelClosed);
        // A FIN that came before the relay (with the first bytes, say) ends that direction now.
        for (Side side : new Side[] {client, backend}) {
            if (side.channel instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
                side.inputEnded();
            }
        }
        // Never read a side whose input is shut: epoll no longer watches it, and asking fails.
        for (Side side : new Side[] {client, backend}) {
            if (!side.inputEnded) {
                side.channel.read();
            }
        }
    }

    /** A connection we half-close: its fin timeout, when set and shorter, becomes the idle limit. */
    private void shortenIdleLimit(Duration fin) {
        long finNanos = fin.toNanos();
        if (finNanos == 0 || (idleNanos != 0 && idleNanos <= finNanos)) {
            return;
        }
        boolean scheduled = idleNanos > 0;
        idleNanos = finNanos;
        if (!scheduled) {
            lastActivity = ticker.nanoTime();
            scheduleIdleCheck(idleNanos);
        } else if (idleCheck != null && idleCheck.cancel(false)) {
            long quiet = ticker.nanoTime() - lastActivity;
            scheduleIdleCheck(Math.max(0, idleNanos - quiet));
        }
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = client.channel.eventLoop().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkIdle() {
        long quiet = ticker.nanoTime() - lastActivity;
        if (quiet >= idleNanos) {
            end(RelayEnd.IDLE_TIMEOUT);
            if (policy.onIdleTimeout() != null) {
                policy.onIdleTimeout().run();
            }
            closeBoth();
        } else {
            scheduleIdleCheck(idleNanos - quiet);
        }
    }

    private void channelClosed(io.netty.util.concurrent.Future<? super Void> ignored) {
        if (++closedChannels == 2) {
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
            end(RelayEnd.COMPLETED);
            onClose.accept(stats);
        }
    }

    private void end(RelayEnd why) {
        if (stats.end == null) {
            stats.end = why;
        }
    }

    private void closeBoth() {
        client.channel.close();
        backend.channel.close();
    }

    /** The relay handler of one channel: what it reads goes to the peer. */
    final class Side extends ChannelInboundHandlerAdapter {
        final Channel channel;
        final boolean isClient;
        Side peer;
        /** A read is owed once the peer drains below its high-water mark. */
        boolean readDeferred;
        boolean inputEnded;

        Side(Channel channel, boolean isClient) {
            this.channel = channel;
            this.isClient = isClient;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf) || !peer.channel.isActive()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            lastActivity = ticker.nanoTime();
            if (isClient) {
                stats.clientToBackend += buf.readableBytes();
            } else {
                stats.backendToClient += buf.readableBytes();
            }
            // voidPromise: no listener per write; a failed write surfaces as exceptionCaught on the peer.
            peer.channel.write(buf, peer.channel.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.channel.flush();
            readMoreIfPeerCanTakeIt();
        }

        private void readMoreIfPeerCanTakeIt() {
            if (inputEnded || !channel.isActive()) {
                return;
            }
            if (peer.channel.isWritable()) {
                readDeferred = false;
                channel.read();
            } else {
                readDeferred = true;
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // This channel drained: the peer, whose bytes we write here, may read again.
            if (channel.isWritable() && peer.readDeferred) {
                peer.readMoreIfPeerCanTakeIt();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE || evt instanceof SslCloseCompletionEvent) {
                inputEnded();
            }
            ReferenceCountUtil.release(evt);
        }

        /** This side sent FIN (or close_notify): pass the end on to the peer, keep the other direction. */
        private void inputEnded() {
            if (inputEnded) {
                return;
            }
            inputEnded = true;
            // The peer is about to be half-closed by us: its fin timeout applies from now (HAProxy's rule).
            shortenIdleLimit(isClient ? policy.backendFin() : policy.clientFin());
            if (!isClient && backendEndClosesBoth) {
                // Deliver what the backend sent, then close both (hitch's way: see Relay.start).
                end(RelayEnd.BACKEND_CLOSED);
                peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                channel.close();
                return;
            }
            if (peer.inputEnded) {
                end(RelayEnd.COMPLETED);
                peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> closeBoth());
                return;
            }
            shutdownOutput(peer.channel);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end(isClient ? RelayEnd.CLIENT_CLOSED : RelayEnd.BACKEND_CLOSED);
            // Deliver what is already queued for the peer, then close it.
            if (peer.channel.isActive()) {
                peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            end(RelayEnd.ERROR);
            log.debug("relay {} side failed: {}", isClient ? "client" : "backend", cause.toString());
            closeBoth();
        }
    }

    /** Half-closes {@code channel}: close_notify first where it speaks TLS, then FIN. */
    private static void shutdownOutput(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        ChannelFuture flushed = tls != null ? tls.closeOutbound() : channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
        flushed.addListener(f -> {
            if (channel.isActive()) {
                duplex.shutdownOutput();
            }
        });
    }
}
