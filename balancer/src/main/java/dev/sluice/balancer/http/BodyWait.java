package dev.sluice.balancer.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * {@code option http-buffer-request}: holds a request that has a body, head and body parts, until
 * the body is complete or a buffer's worth has arrived, and only then passes them on, so the
 * exchange chooses a backend and a server (and connects) once, with the body already here: a slow
 * uploader holds no server connection. As HAProxy does, a request for the {@code monitor-uri} is
 * not held, an {@code Expect: 100-continue} is answered here (the header is removed, so the server
 * never answers it again), and the wait is timed by {@code timeout http-request}: the exchange is
 * told with {@link #STARTED} and answers 408 when it runs out.
 *
 * <p>The {@code 100 Continue} never cuts into a response the exchange is writing (a pipelined
 * request can be held while the one before it is answered): it waits for that response's end.
 *
 * <p>Reads stay demand-driven: the exchange asks for more while it has nothing to do, which is the
 * case while a request is held here; what is held is bounded by {@link #limit} plus one read.
 */
final class BodyWait extends ChannelDuplexHandler {
    static final String NAME = "body-wait";

    /** HAProxy's default {@code tune.maxrewrite}: the room a buffer keeps free, so not for the body. */
    static final int MAX_REWRITE = 1024;

    /** The event fired towards the exchange when a request starts being held. */
    static final Object STARTED = new Object() {
        @Override
        public String toString() {
            return "BodyWait.STARTED";
        }
    };

    private final int limit;
    private final boolean answerContinue;
    private final MonitorUri monitor;
    private final ArrayDeque<HttpObject> held = new ArrayDeque<>(4);
    private long bytes;
    private boolean holding;
    /** A response head went out and its last part has not: a 100 now would land inside it. */
    private boolean responseOpen;
    private boolean continueDue;

    /**
     * @param bufsize        {@code tune.bufsize}: the body bytes that end the wait are this less {@link #MAX_REWRITE}
     * @param answerContinue whether to answer {@code Expect: 100-continue} (HTTP/1.1; not on an HTTP/2 stream)
     */
    BodyWait(int bufsize, boolean answerContinue, MonitorUri monitor) {
        this.limit = Math.max(1, bufsize - MAX_REWRITE);
        this.answerContinue = answerContinue;
        this.monitor = monitor;
    }

    boolean holding() {
        return holding;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!holding) {
            if (msg instanceof HttpRequest request && startsHolding(request)) {
                hold(ctx, request);
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof HttpObject part)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        held.add(part);
        if (part instanceof HttpContent content) {
            bytes += content.content().readableBytes();
        }
        if (part instanceof LastHttpContent || part.decoderResult().isFailure() || bytes >= limit) {
            passOn(ctx);
        }
    }

    private boolean startsHolding(HttpRequest request) {
        return !(request instanceof LastHttpContent) && !request.decoderResult().isFailure()
                && !MessageRules.bodyless(request) && !monitor.matches(request.uri());
    }

    private void hold(ChannelHandlerContext ctx, HttpRequest request) {
        holding = true;
        bytes = 0;
        held.add(request);
        if (answerContinue && HttpUtil.is100ContinueExpected(request)) {
            request.headers().remove(HttpHeaderNames.EXPECT);
            continueDue = true;
            if (!responseOpen) {
                sendContinue(ctx);
            }
        }
        ctx.fireUserEventTriggered(STARTED);
    }

    private void sendContinue(ChannelHandlerContext ctx) {
        continueDue = false;
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                Unpooled.EMPTY_BUFFER), ctx.voidPromise());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (answerContinue) {
            if (msg instanceof HttpResponse response && !(msg instanceof LastHttpContent)
                    && response.status().codeClass() != io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
                responseOpen = true;
            } else if (msg instanceof LastHttpContent && responseOpen) {
                responseOpen = false;
                ctx.write(msg, promise);
                if (continueDue) {
                    sendContinue(ctx);
                }
                return;
            }
        }
        ctx.write(msg, promise);
    }

    private void passOn(ChannelHandlerContext ctx) {
        holding = false;
        // The body came without it: a 100 sent later could follow the final response.
        continueDue = false;
        HttpObject part;
        while ((part = held.poll()) != null) {
            ctx.fireChannelRead(part);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    private void releaseHeld() {
        holding = false;
        HttpObject part;
        while ((part = held.poll()) != null) {
            ReferenceCountUtil.release(part);
        }
    }
}
