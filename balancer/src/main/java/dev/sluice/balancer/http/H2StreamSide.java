package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits on an HTTP/2 stream between Netty's frame ↔ HTTP/1 object codec and the
 * {@link HttpExchangeHandler}, and is that exchange's {@link ClientSide}. It hands the exchange
 * what an HTTP/1.1 connection would: a request head, then body parts ending with a
 * {@link LastHttpContent} (a HEADERS frame that ends the stream arrives as one full request and
 * is split here), without the {@code x-http2-*} headers the codec adds for its own use. Going
 * out, it drops interim responses HTTP/2 cannot carry as the codec frames them (only
 * {@code 100 Continue} passes, as the codec requires, whole), and it ends the stream only once
 * the last frame of the response is written, since DATA frames wait for flow-control credit.
 *
 * <p>CONNECT (no tunnel over an HTTP/2 stream here) is answered 501 on the stream.
 */
final class H2StreamSide extends ChannelDuplexHandler implements ClientSide {
    static final String NAME = "h2-stream-side";

    private boolean inInterim;
    private ChannelPromise lastWrite;

    // ---- requests in ---------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            if (HttpMethod.CONNECT.equals(request.method())) {
                ReferenceCountUtil.release(msg);
                DefaultFullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.NOT_IMPLEMENTED, Unpooled.EMPTY_BUFFER);
                ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            stripConversionHeaders(request.headers());
            if (request instanceof FullHttpRequest full) {
                HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                        full.headers());
                head.setDecoderResult(full.decoderResult());
                full.release();
                ctx.fireChannelRead(head);
                ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static void stripConversionHeaders(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
    }

    // ---- the response out ----------------------------------------------------------------------

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
            inInterim = true;
            ReferenceCountUtil.release(msg);
            if (response.status().code() == HttpResponseStatus.CONTINUE.code()) {
                ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER), promise);
            } else {
                promise.trySuccess();
            }
            return;
        }
        if (inInterim) {
            // The rest of an interim response: its (empty) end.
            if (msg instanceof LastHttpContent) {
                inInterim = false;
            }
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        if (msg instanceof LastHttpContent) {
            // Known when the last DATA frame really left (it may wait for window credit).
            ChannelPromise tracked = promise.isVoid() ? ctx.newPromise() : promise;
            lastWrite = tracked;
            ctx.write(msg, tracked);
            return;
        }
        ctx.write(msg, promise);
    }

    // ---- ClientSide ----------------------------------------------------------------------------

    @Override
    public void answeringHead(boolean head) {
        // HTTP/2 frames a HEAD answer like any other: HEADERS, then an empty DATA ending the stream.
    }

    @Override
    public void sendRefusal(ChannelHandlerContext exchange, ByteBuf rawPage) {
        HttpResponse page = ErrorPageResponse.parse(rawPage);
        exchange.writeAndFlush(page).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void flushAndEnd(ChannelHandlerContext exchange) {
        exchange.flush();
        // A stream whose both halves ended is closed already; one whose request is still coming
        // is reset once the response is out (the server answered early).
        ChannelFuture last = lastWrite;
        if (last == null) {
            exchange.close();
        } else {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public boolean singleExchange() {
        return true;
    }
}
