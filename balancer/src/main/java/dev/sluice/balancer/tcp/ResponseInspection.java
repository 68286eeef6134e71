package dev.sluice.balancer.tcp;

import dev.sluice.balancer.acl.Payload;
import dev.sluice.balancer.log.LogRecord;
import dev.sluice.balancer.log.LogTap;
import dev.sluice.balancer.log.Termination;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.TcpResponseRules;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code mode tcp}, a backend's {@code tcp-response content} rules: sits on the server connection
 * in front of the relay, holds the server's first bytes (up to {@code tune.bufsize}) and runs the
 * rules each time more arrive, until one decides. As in HAProxy 2.6 the evaluation becomes final
 * when {@code tcp-response inspect-delay} expires, when the buffer is full, when the server ends its
 * output, or at the first bytes when there is no delay. Accept passes the held bytes (without a
 * copy) to the relay and leaves the pipeline; close passes them, drops whatever the server sends
 * after, and closes the server connection (the client's follows once they are written); reject
 * closes both without a byte to the client. Reads stay on demand.
 */
final class ResponseInspection extends ChannelInboundHandlerAdapter {
    static final String NAME = "tcp-response-inspection";
    private static final Logger log = LogManager.getLogger(ResponseInspection.class);
    /** Components of the held buffer before Netty would consolidate them (which copies): never, below bufsize. */
    private static final int MAX_COMPONENTS = Integer.MAX_VALUE;

    private final TcpResponseRules rules;
    private final int bufsize;
    private final ConnectionFacts facts;
    private final Channel client;
    private final Runnable rejected;
    private final Payload payload = new Payload();

    private ChannelHandlerContext ctx;
    private CompositeByteBuf held;
    private ScheduledFuture<?> timer;
    private boolean expired;
    private boolean decided;
    /** The server ended its output: the evaluation is final and the end goes on to the relay after the bytes. */
    private boolean inputEnded;
    /** {@code close} decided: the held bytes went on; anything the server sends after is dropped, as HAProxy kills its side. */
    private boolean closing;

    /**
     * @param facts    the client connection's view (its variables; {@code res.*} fetches read the held bytes)
     * @param rejected counts a response refused by {@code tcp-response content reject}
     */
    ResponseInspection(TcpResponseRules rules, int bufsize, ConnectionFacts facts, Channel client, Runnable rejected) {
        this.rules = rules;
        this.bufsize = bufsize;
        this.facts = facts;
        this.client = client;
        this.rejected = rejected;
    }

    /** Installs the backend's rules on a connected server channel, before the relay joins it; none without rules. */
    static void install(TcpResponseRules rules, int bufsize, ConnectionFacts facts, Channel client, Channel server,
                        Runnable rejected) {
        if (!rules.isEmpty()) {
            server.pipeline().addFirst(NAME, new ResponseInspection(rules, bufsize, facts, client, rejected));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        held = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
        // HAProxy evaluates when the server's bytes (or its end) arrive; the delay bounds the wait for more.
        if (!rules.inspectDelay().isZero()) {
            timer = ctx.executor().schedule(this::expire, rules.inspectDelay().toNanos(), TimeUnit.NANOSECONDS);
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
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (decided) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        held.addComponent(true, buf);
        evaluate();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (decided) {
            ctx.fireChannelReadComplete();
        } else if (!inputEnded && held.readableBytes() < bufsize) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (closing) {
            ReferenceCountUtil.release(event);
            return;
        }
        if (!decided && event == ChannelInputShutdownEvent.INSTANCE) {
            // The server sent its FIN: this evaluation is the last; the relay gets the FIN after the bytes.
            inputEnded = true;
            evaluate();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Runs the rules on what is held; decides, or waits for more. */
    private void evaluate() {
        boolean full = held.readableBytes() >= bufsize;
        boolean last = expired || full || inputEnded || rules.inspectDelay().isZero();
        // The rules see at most bufsize bytes, as HAProxy's buffer holds; anything past it is relayed.
        ByteBuf view = full && held.readableBytes() > bufsize ? held.slice(held.readerIndex(), bufsize) : held;
        payload.update(view, bufsize, last);
        facts.responsePayload(payload);
        TcpResponseRules.Decision decision;
        try {
            decision = rules.run(facts);
        } finally {
            facts.responsePayload(null);
            payload.clear();
        }
        switch (decision) {
            case WAIT -> {
                // channelReadComplete asks for more
            }
            case ACCEPT -> {
                pass();
                ctx.pipeline().remove(this);
            }
            case CLOSE -> {
                closing = true;
                pass();
                ctx.channel().close(); // the relay writes what it has to the client, then closes it
            }
            case REJECT, SILENT_DROP -> {
                finish();
                log.debug("{}: response refused by tcp-response content {}", client, decision);
                if (decision == TcpResponseRules.Decision.SILENT_DROP) {
                    dev.sluice.common.net.SilentDrop.drop(client);
                }
                rejected.run();
                release();
                client.close();
                ctx.channel().close();
            }
        }
    }

    /** Hands the held bytes, then the server's end if it came, to the relay. */
    private void pass() {
        finish();
        CompositeByteBuf bytes = held;
        held = null;
        if (bytes.isReadable()) {
            ctx.fireChannelRead(bytes);
            ctx.fireChannelReadComplete();
        } else {
            bytes.release();
        }
        if (inputEnded && !closing) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
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
        if (held != null) {
            held.release();
            held = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        finish();
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!decided) {
            // The server closed: decide on what came (a reject still keeps it from the client).
            inputEnded = true;
            evaluate();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /** What a refused response leaves in the access log: HAProxy's "PD" (the proxy, during data). */
    static Runnable logRejection(TcpFrontend front, dev.sluice.balancer.backend.Backend backend, Channel client) {
        return () -> {
            front.counters().deniedResponse();
            backend.counters().deniedResponse();
            LogRecord record = LogTap.recordOf(client);
            if (record != null) {
                record.terminated(Termination.PROXY, Termination.AT_DATA);
            }
        };
    }
}
