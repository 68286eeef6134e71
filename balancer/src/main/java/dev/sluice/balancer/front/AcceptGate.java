package dev.sluice.balancer.front;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sits on a listening channel and holds each accepted connection against its limits (global,
 * frontend, bind). When any limit is full the listener stops accepting (autoRead off), so new
 * clients wait in the kernel's backlog as with HAProxy; it resumes when a connection closes.
 * The listener accepts one connection per read while limited, so a full limit is seen before the
 * next accept; a connection that still loses the race is closed and counted.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(AcceptGate.class);

    private final List<ConnectionLimit> limits;
    private final java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();
    private volatile Channel listener;

    public AcceptGate(List<ConnectionLimit> limits) {
        this.limits = List.copyOf(limits);
        for (ConnectionLimit limit : this.limits) {
            limit.whenRoom(this::resumeLater);
        }
    }

    public boolean limited() {
        for (ConnectionLimit limit : limits) {
            if (limit.max() > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        listener = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        int taken = 0;
        for (ConnectionLimit limit : limits) {
            if (!limit.tryAcquire()) {
                break;
            }
            taken++;
        }
        if (taken < limits.size()) {
            for (int i = 0; i < taken; i++) {
                limits.get(i).release();
            }
            refused.increment();
            pause();
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(f -> released());
        if (anyFull()) {
            pause();
        }
        ctx.fireChannelRead(child);
    }

    /** Connections closed at accept because a limit filled in the same instant. */
    public long refused() {
        return refused.sum();
    }

    private boolean anyFull() {
        for (ConnectionLimit limit : limits) {
            if (limit.full()) {
                return true;
            }
        }
        return false;
    }

    private void pause() {
        Channel channel = listener;
        if (channel != null && channel.config().isAutoRead()) {
            log.info("{}: connection limit reached, pausing accept", channel.localAddress());
            channel.config().setAutoRead(false);
        }
    }

    private void released() {
        for (ConnectionLimit limit : limits) {
            limit.release();
        }
    }

    private void resumeLater() {
        Channel channel = listener;
        if (channel != null && !channel.config().isAutoRead()) {
            channel.eventLoop().execute(() -> {
                if (!anyFull() && !channel.config().isAutoRead()) {
                    log.info("{}: below connection limits again, accepting", channel.localAddress());
                    channel.config().setAutoRead(true);
                }
            });
        }
    }
}
