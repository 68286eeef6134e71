package dev.sluice.balancer.tcp;

import dev.sluice.balancer.acl.Payload;
import dev.sluice.balancer.front.ProxyHeaderPhase;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.ContentRules;
import dev.sluice.balancer.stick.StickTables;
import dev.sluice.balancer.stick.TcpRule;
import dev.sluice.common.proxy.ProxyHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code mode tcp} content inspection: once the session is accepted (after the PROXY header, if
 * any), holds the client's first bytes, up to {@code tune.bufsize}, and runs the
 * {@code tcp-request content} rules on them each time more arrive, until one decides. The
 * evaluation becomes final (undetermined fetches fail) when {@code tcp-request inspect-delay}
 * expires, when the buffer is full, or at once when the delay is zero. On accept the routing step
 * runs while the payload is still visible (so {@code use_backend} conditions read it), then the held
 * bytes go on, without a copy, to the handler that connects and relays; on reject the connection
 * closes without a byte. Reads stay on demand: one read is asked for at a time while waiting.
 * Leaves the pipeline when it has decided.
 */
final class ContentInspection extends ChannelInboundHandlerAdapter {
    static final String NAME = "tcp-content-inspection";
    private static final Logger log = LogManager.getLogger(ContentInspection.class);
    /** Components of the held buffer before Netty would consolidate them (which copies): never, below bufsize. */
    private static final int MAX_COMPONENTS = Integer.MAX_VALUE;

    private final List<TcpRule> rules;
    private final Duration delay;
    private final int bufsize;
    private final StickTables tables;
    private final ConnectionFacts facts;
    /** Adds the next phase (route, connect, relay) to the pipeline; it reads {@code facts} as it is added. */
    private final Consumer<ChannelHandlerContext> next;
    private final Runnable rejected;
    private final Payload payload = new Payload();
    /**
     * A backend's inspection starts on the next turn of the event loop, so that it sees the bytes
     * the frontend's inspection passes on right after installing it (HAProxy's buffer holds them).
     */
    private final boolean startLater;

    private ChannelHandlerContext ctx;
    private CompositeByteBuf held;
    private ScheduledFuture<?> timer;
    private boolean started;
    private boolean expired;
    private boolean decided;
    /** The client sent its FIN: the next evaluation is final and nothing is read any more. */
    private boolean inputEnded;

    /**
     * @param next     installs the handler that routes and relays, after this one
     * @param rejected counts a connection refused by {@code tcp-request content reject}
     */
    ContentInspection(List<TcpRule> rules, Duration delay, int bufsize, StickTables tables, ConnectionFacts facts,
                      Consumer<ChannelHandlerContext> next, Runnable rejected) {
        this(rules, delay, bufsize, tables, facts, next, rejected, false);
    }

    /** @param startLater whether the first evaluation waits for the next turn of the event loop (a backend's rules) */
    ContentInspection(List<TcpRule> rules, Duration delay, int bufsize, StickTables tables, ConnectionFacts facts,
                      Consumer<ChannelHandlerContext> next, Runnable rejected, boolean startLater) {
        this.startLater = startLater;
        this.rules = List.copyOf(rules);
        this.delay = delay;
        this.bufsize = bufsize;
        this.tables = tables;
        this.facts = facts;
        this.next = next;
        this.rejected = rejected;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        held = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
        if (startLater) {
            ctx.executor().execute(() -> {
                if (ctx.channel().isActive() && !ctx.isRemoved()) {
                    begin();
                }
            });
        } else if (ctx.channel().isActive()) {
            begin();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin();
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        ctx.fireUserEventTriggered(event);
        if (event instanceof ProxyHeader) {
            begin();
        } else if (event == io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE) {
            // The client sent its FIN: no more bytes will come, so this evaluation is the last (the
            // relay passes the FIN on afterwards). Never read again: epoll no longer watches the input.
            inputEnded = true;
            if (started && !decided) {
                expired = true;
                evaluate();
            }
        }
    }

    /** Starts the delay and the first evaluation once the session exists (the PROXY header read). */
    private void begin() {
        if (started || decided || ctx.pipeline().get(ProxyHeaderPhase.NAME) != null) {
            return;
        }
        started = true;
        if (delay.isZero() || inputEnded) {
            expired = true;
        } else {
            timer = ctx.executor().schedule(this::expire, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        evaluate();
        if (!decided && !inputEnded) {
            ctx.read();
        }
    }

    private void expire() {
        timer = null;
        if (!decided && ctx.channel().isOpen()) {
            expired = true;
            evaluate();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        held.addComponent(true, buf);
        if (started) {
            evaluate();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!decided && !inputEnded && held.readableBytes() < bufsize) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    /** Runs the rules on what is held; decides, or asks for more. */
    private void evaluate() {
        boolean full = held.readableBytes() >= bufsize;
        boolean last = expired || full;
        // The rules see at most bufsize bytes, as HAProxy's buffer holds; anything past it is relayed.
        ByteBuf view = full && held.readableBytes() > bufsize ? held.slice(held.readerIndex(), bufsize) : held;
        payload.update(view, bufsize, last);
        facts.payload(payload);
        ContentRules.Decision decision = ContentRules.run(rules, facts, ctx.channel(), tables);
        switch (decision) {
            case WAIT -> facts.payload(null); // channelReadComplete asks for more

            case REJECT -> {
                finish();
                log.debug("{}: refused by tcp-request content reject", ctx.channel());
                rejected.run();
                release();
                ctx.close();
            }
            case ACCEPT -> {
                finish();
                // use_backend reads the payload as HAProxy's switching rules do: final, no more waiting.
                payload.update(view, bufsize, true);
                facts.payload(payload);
                next.accept(ctx);
                facts.payload(null);
                payload.clear();
                CompositeByteBuf bytes = held;
                held = null;
                if (bytes.isReadable()) {
                    ctx.fireChannelRead(bytes);
                } else {
                    bytes.release();
                }
                ctx.pipeline().remove(this);
            }
        }
    }

    private void finish() {
        decided = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void release() {
        facts.payload(null);
        payload.clear();
        if (held != null) {
            held.release();
            held = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (!decided) {
            release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
