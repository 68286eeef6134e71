package dev.sluice.balancer.front;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sits on a listening channel and admits each accepted connection against its limits (global,
 * frontend, bind). When a limit fills, every listener under it stops accepting (autoRead off), so
 * new clients wait in the kernel's backlog as with HAProxy, and accepting resumes when a
 * connection closes. A connection accepted in the instant a limit filled (listeners accept in
 * batches, and limits are shared across listeners) is not refused: it waits here, unread, until
 * a slot frees. All state but the limits lives on the listener's event loop.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(AcceptGate.class);

    private final List<ConnectionLimit> limits;
    /** maxconnrate, maxsessrate, rate-limit sessions (see AcceptRate). */
    private final List<AcceptRate> rates;
    private final ArrayDeque<Channel> waiting = new ArrayDeque<>();
    private volatile ChannelHandlerContext listener;
    /** A look after a rate pause is scheduled (on the listener's loop). */
    private boolean rateWakeScheduled;
    /** The last pause came from a rate alone (logged at debug). */
    private boolean pausedByRate;

    public AcceptGate(List<ConnectionLimit> limits) {
        this(limits, List.of());
    }

    /** @param rates the per-second limits the listener also admits against */
    public AcceptGate(List<ConnectionLimit> limits, List<AcceptRate> rates) {
        this.limits = List.copyOf(limits);
        this.rates = rates.stream().filter(AcceptRate::limited).toList();
        for (ConnectionLimit limit : this.limits) {
            limit.whenRoom(this::onLoop);
            limit.whenFull(this::onLoop);
        }
    }

    public boolean limited() {
        if (!rates.isEmpty()) {
            return true;
        }
        for (ConnectionLimit limit : limits) {
            if (limit.max() > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // A reload puts a new gate on a listener that is already active (see adopt).
        if (ctx.channel().isActive()) {
            listener = ctx;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Replaced by a reload: the old limits' wake-ups must no longer steer this listener.
        listener = null;
    }

    /**
     * Takes over the connections {@code previous} (the gate this one replaced on the same
     * listener, on its event loop) held waiting for a slot, then admits or pauses as this gate's
     * limits say.
     */
    public void adopt(AcceptGate previous) {
        Channel child;
        while ((child = previous.waiting.poll()) != null) {
            waiting.add(child);
            child.closeFuture().addListener(f -> onLoop());
        }
        ChannelHandlerContext ctx = listener;
        if (ctx != null) {
            adjust(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        listener = ctx;
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (!waiting.isEmpty() || !admit(ctx, child)) {
            waiting.add(child);
            child.closeFuture().addListener(f -> onLoop());
        }
        adjust(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channel child;
        while ((child = waiting.poll()) != null) {
            child.unsafe().closeForcibly();
        }
        ctx.fireChannelInactive();
    }

    /** Connections accepted but waiting for a slot right now. */
    public int waiting() {
        return waiting.size();
    }

    private boolean admit(ChannelHandlerContext ctx, Channel child) {
        // Listeners on other loops may count between this look and the count below: a rate can be
        // passed by the few connections accepted in that instant, never by more.
        AcceptRate blocked = rateBlocking();
        if (blocked != null) {
            scheduleRateWake(ctx, blocked);
            return false;
        }
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
            return false;
        }
        for (AcceptRate rate : rates) {
            rate.count();
        }
        child.closeFuture().addListener(f -> released());
        ctx.fireChannelRead(child);
        return true;
    }

    private AcceptRate rateBlocking() {
        for (AcceptRate rate : rates) {
            if (!rate.hasRoom()) {
                return rate;
            }
        }
        return null;
    }

    /** Looks again once the rate may have room (the listener stays paused meanwhile). */
    private void scheduleRateWake(ChannelHandlerContext ctx, AcceptRate rate) {
        if (rateWakeScheduled) {
            return;
        }
        rateWakeScheduled = true;
        ctx.executor().schedule(() -> {
            rateWakeScheduled = false;
            if (listener == ctx) {
                adjust(ctx);
            }
        }, rate.retryNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void released() {
        for (ConnectionLimit limit : limits) {
            limit.release();
        }
    }

    /** Re-examines the gate on the listener's loop (limits change on any loop). */
    private void onLoop() {
        ChannelHandlerContext ctx = listener;
        if (ctx != null) {
            ctx.executor().execute(() -> adjust(ctx));
        }
    }

    /** Admits waiting connections while there is room, then accepts or pauses accordingly. */
    private void adjust(ChannelHandlerContext ctx) {
        Channel child;
        while ((child = waiting.peek()) != null) {
            if (!child.isOpen()) {
                waiting.poll();
                continue;
            }
            if (!admit(ctx, child)) {
                break;
            }
            waiting.poll();
        }
        AcceptRate rate = rateBlocking();
        if (rate != null) {
            scheduleRateWake(ctx, rate);
        }
        boolean pause = !waiting.isEmpty() || anyFull() || rate != null;
        Channel channel = ctx.channel();
        if (pause && channel.config().isAutoRead()) {
            // A rate pauses and resumes many times a second under load: those transitions are debug.
            pausedByRate = rate != null && !anyFull();
            if (pausedByRate) {
                log.debug("{}: {} reached, pausing accept", channel.localAddress(), fullScopes());
            } else {
                log.info("{}: {} reached, pausing accept", channel.localAddress(), fullScopes());
            }
            channel.config().setAutoRead(false);
        } else if (!pause && !channel.config().isAutoRead() && channel.isOpen()) {
            if (pausedByRate) {
                log.debug("{}: below connection rates again, accepting", channel.localAddress());
            } else {
                log.info("{}: below connection limits again, accepting", channel.localAddress());
            }
            channel.config().setAutoRead(true);
        }
    }

    private String fullScopes() {
        StringBuilder scopes = new StringBuilder();
        for (ConnectionLimit limit : limits) {
            if (limit.full()) {
                scopes.append(scopes.isEmpty() ? "" : ", ").append(limit.scope()).append(" maxconn ").append(limit.max());
            }
        }
        for (AcceptRate rate : rates) {
            if (!rate.hasRoom()) {
                scopes.append(scopes.isEmpty() ? "" : ", ").append(rate.scope()).append(' ').append(rate.perSecond())
                        .append("/s");
            }
        }
        return scopes.isEmpty() ? "a connection limit" : scopes.toString();
    }

    private boolean anyFull() {
        for (ConnectionLimit limit : limits) {
            if (limit.full()) {
                return true;
            }
        }
        return false;
    }
}
