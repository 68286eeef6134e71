package dev.sluice.balancer.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits on a stream to a {@code proto h2} server between Netty's frame ↔ HTTP/1 object codec and the
 * {@link ServerConnection}, so the exchange sees what an HTTP/1.1 server connection would give it: a
 * response head whose body framing an HTTP/1.1 client can use (a length, or chunked), then body parts
 * ending with a {@link LastHttpContent}, without the codec's {@code x-http2-*} headers. A response that
 * ends with its HEADERS frame arrives as one full message and is split here.
 *
 * <p>Going out, a bodyless request becomes one HEADERS frame that ends the stream. CONNECT and
 * {@code Upgrade} (WebSocket) requests are not carried: they get a 502.
 *
 * <p>It also tells the {@link ServerConnection} why a stream ended early: RST_STREAM (the request fails
 * with a 502; REFUSED_STREAM means the server did nothing, so it may be resent) or a GOAWAY that left
 * this stream unprocessed (resent once on another connection, when the request has no body).
 */
final class H2ServerStream extends ChannelDuplexHandler {
    static final String NAME = "h2-server-stream";

    private boolean headRequest;
    /** The request went as one HEADERS frame ending the stream: its (empty) end is not written again. */
    private boolean endSent;

    // ---- the request out -----------------------------------------------------------------------

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpRequest request && !(msg instanceof HttpContent)) {
            if (HttpMethod.CONNECT.equals(request.method()) || HopByHop.isUpgrade(request.headers())) {
                // No tunnel over a server's stream (RFC 9113 §8.5 and RFC 8441 are not spoken here):
                // the request fails with a 502, like a stream the server reset. HAProxy 2.6 answers a
                // WebSocket upgrade to an h2 server without RFC 8441 the same way.
                ServerConnection conn = connection(ctx);
                if (conn != null) {
                    conn.resetByServer(false);
                }
                promise.tryFailure(new UnsupportedOperationException("a tunnel to an HTTP/2 server"));
                ctx.close();
                return;
            }
            headRequest = HttpMethod.HEAD.equals(request.method());
            if (MessageRules.bodyless(request)) {
                // No body by its own framing: HEADERS with END_STREAM, as HAProxy sends it, not an
                // extra empty DATA frame.
                endSent = true;
                ctx.write(new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                        Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE), promise);
                return;
            }
        } else if (endSent && msg instanceof LastHttpContent end && !end.content().isReadable()
                && end.trailingHeaders().isEmpty()) {
            endSent = false;
            end.release();
            promise.trySuccess();
            return;
        }
        ctx.write(msg, promise);
    }

    // ---- the response in -----------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response) {
            stripConversionHeaders(response.headers());
            if (msg instanceof FullHttpResponse full) {
                split(ctx, full);
                return;
            }
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // An interim response is a HEADERS frame alone; the exchange waits for its end.
                response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                ctx.fireChannelRead(response);
                ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            frameForHttp1(response, false);
            ctx.fireChannelRead(response);
            return;
        }
        if (msg instanceof Http2ResetFrame reset) {
            reset(ctx, reset);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** RST_STREAM from the server (the multiplexer passes it as an event; a read would do as well). */
    private static void reset(ChannelHandlerContext ctx, Http2ResetFrame reset) {
        ServerConnection conn = connection(ctx);
        if (conn != null) {
            conn.resetByServer(reset.errorCode() == Http2Error.REFUSED_STREAM.code());
        }
        ReferenceCountUtil.release(reset);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            reset(ctx, reset);
            return;
        }
        if (evt instanceof Http2GoAwayFrame) {
            // The multiplexer tells the streams above the GOAWAY's last-stream-id: never processed.
            ServerConnection conn = connection(ctx);
            if (conn != null) {
                conn.unprocessedByServer();
            }
            ReferenceCountUtil.release(evt);
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static ServerConnection connection(ChannelHandlerContext ctx) {
        return (ServerConnection) ctx.pipeline().get(ServerConnection.NAME);
    }

    /** A response whose HEADERS frame ended the stream: a head, then its (empty) end. */
    private void split(ChannelHandlerContext ctx, FullHttpResponse full) {
        HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
        head.setDecoderResult(full.decoderResult());
        LastHttpContent end;
        if (full.content().isReadable() || !full.trailingHeaders().isEmpty()) {
            end = new DefaultLastHttpContent(full.content().retain());
            end.trailingHeaders().set(full.trailingHeaders());
        } else {
            end = LastHttpContent.EMPTY_LAST_CONTENT;
        }
        full.release();
        if (head.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            frameForHttp1(head, end == LastHttpContent.EMPTY_LAST_CONTENT);
        }
        ctx.fireChannelRead(head);
        ctx.fireChannelRead(end);
    }

    /**
     * HTTP/2 frames bodies itself, so a response may carry no length: an HTTP/1.1 client needs one, or
     * chunked encoding ({@code empty}: the response has no body at all).
     */
    private void frameForHttp1(HttpResponse response, boolean empty) {
        int code = response.status().code();
        if (headRequest || code == 204 || code == 304 || HttpUtil.isContentLengthSet(response)) {
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            return;
        }
        if (empty) {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        } else {
            response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    private static void stripConversionHeaders(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
    }
}
