package dev.sluice.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The PROXY phase of an inbound connection. It buffers the first bytes until a complete header
 * (v1 or v2) has arrived, however the peer split it, within {@link ProxyAcceptance#deadline()}.
 * Then it stores the header under {@link ProxyHeader#ATTRIBUTE}, fires it as a user event, removes
 * itself and passes the bytes after the header on in the same read, untouched.
 *
 * <p>A refusal ({@link ProxyRefusal}) is counted, fired as a user event, releases what was
 * buffered and closes this connection only. Peers outside a {@link ProxyAcceptance.Mode#TRUSTED_SOURCES}
 * list pass through without a header (nothing stored, nothing fired); a header from them is refused.
 *
 * <p>One instance per channel: it holds that connection's partial header.
 */
public final class ProxyHeaderDecoder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(ProxyHeaderDecoder.class);

    private enum State { WAITING, HEADER_EXPECTED, HEADER_FORBIDDEN, DONE }

    private final ProxyAcceptance acceptance;
    private final ProxyCounters counters;
    private State state = State.WAITING;
    private ByteBuf buffered;
    private Future<?> deadline;

    public ProxyHeaderDecoder(ProxyAcceptance acceptance, ProxyCounters counters) {
        this.acceptance = Objects.requireNonNull(acceptance, "acceptance");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        start(ctx);
        if (state != State.DONE && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    /** Decides from the peer's address what to expect, and starts the deadline. */
    private void start(ChannelHandlerContext ctx) {
        if (state != State.WAITING) {
            return;
        }
        boolean trusted = acceptance.trusts(ctx.channel().remoteAddress());
        if (!trusted && acceptance.mode() == ProxyAcceptance.Mode.REQUIRED) {
            refuse(ctx, ProxyRefusal.UNTRUSTED_SOURCE);
            return;
        }
        state = trusted ? State.HEADER_EXPECTED : State.HEADER_FORBIDDEN;
        deadline = ctx.executor().schedule(() -> {
            if (state == State.HEADER_EXPECTED || state == State.HEADER_FORBIDDEN) {
                refuse(ctx, ProxyRefusal.TIMEOUT);
            }
        }, acceptance.deadline().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.DONE) {
            ReferenceCountUtil.release(msg);  // a refused connection's remaining reads
            return;
        }
        if (!(msg instanceof ByteBuf data)) {
            ctx.fireChannelRead(msg);
            return;
        }
        start(ctx);
        if (state == State.DONE) {
            data.release();
            return;
        }
        buffered = buffered == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffered, data);
        try {
            if (state == State.HEADER_EXPECTED) {
                int version = buffered.getByte(buffered.readerIndex()) == 'P' ? 1 : 2;
                ProxyHeader header = ProxyHeaderParser.parse(buffered, acceptance.maxV2Bytes());
                if (header != null) {
                    accept(ctx, header, version);
                }
            } else {
                switch (ProxyHeaderParser.detect(buffered)) {
                    case PRESENT -> refuse(ctx, ProxyRefusal.UNTRUSTED_SOURCE);
                    case ABSENT -> passWithoutHeader(ctx);
                    case NEED_MORE -> {
                        // a prefix of a signature: wait for the byte that decides
                    }
                }
            }
        } catch (ProxyRefusedException e) {
            refuse(ctx, e.reason());
        }
    }

    private void accept(ChannelHandlerContext ctx, ProxyHeader header, int version) {
        counters.accepted(version);
        ctx.channel().attr(ProxyHeader.ATTRIBUTE).set(header);
        finish(ctx, header);
    }

    private void passWithoutHeader(ChannelHandlerContext ctx) {
        counters.passed();
        finish(ctx, null);
    }

    /** Leaves the pipeline, then hands the bytes after the header to the next handler. */
    private void finish(ChannelHandlerContext ctx, ProxyHeader header) {
        state = State.DONE;
        cancelDeadline();
        ByteBuf rest = buffered;
        buffered = null;
        if (header != null) {
            ctx.fireUserEventTriggered(header);
        }
        ctx.pipeline().remove(this);
        if (rest.isReadable() && ctx.channel().isOpen()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    private void refuse(ChannelHandlerContext ctx, ProxyRefusal reason) {
        state = State.DONE;
        cancelDeadline();
        releaseBuffered();
        counters.refused(reason);
        log.debug("PROXY header refused from {}: {} ({})", ctx.channel().remoteAddress(), reason.code(), reason.sentence());
        ctx.fireUserEventTriggered(reason);
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state != State.DONE && !ctx.channel().config().isAutoRead()) {
            ctx.read();  // the header is incomplete: we, not the next handler, want more bytes
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent && state != State.DONE && state != State.WAITING) {
            refuse(ctx, ProxyRefusal.TRUNCATED);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.DONE && buffered != null && buffered.isReadable()) {
            counters.refused(ProxyRefusal.TRUNCATED);
        }
        state = State.DONE;
        cancelDeadline();
        releaseBuffered();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
        releaseBuffered();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void releaseBuffered() {
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
    }
}
