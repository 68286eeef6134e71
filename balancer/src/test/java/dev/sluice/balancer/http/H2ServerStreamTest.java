package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link H2ServerStream}: what the exchange sees of an h2 server's response, and why a stream ended. */
class H2ServerStreamTest {

    private static EmbeddedChannel stream() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(H2ServerStream.NAME, new H2ServerStream());
        return channel;
    }

    private static HttpResponse head(int status) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(), "3");
        return response;
    }

    private static FullHttpResponse full(int status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(), "3");
        return response;
    }

    @Test
    void aResponseWithoutLengthIsChunkedForHttp1Clients() {
        EmbeddedChannel channel = stream();
        channel.writeInbound(head(200));
        HttpResponse seen = channel.readInbound();
        assertEquals("chunked", seen.headers().get(HttpHeaderNames.TRANSFER_ENCODING));
        assertFalse(seen.headers().contains(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text()));
        assertFalse(channel.finish());
    }

    @Test
    void aResponseWithALengthKeepsIt() {
        EmbeddedChannel channel = stream();
        HttpResponse response = head(200);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, "5");
        channel.writeInbound(response);
        HttpResponse seen = channel.readInbound();
        assertEquals("5", seen.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertNull(seen.headers().get(HttpHeaderNames.TRANSFER_ENCODING));
        assertFalse(channel.finish());
    }

    @Test
    void anAnswerToHeadGetsNoFraming() {
        EmbeddedChannel channel = stream();
        channel.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/"));
        channel.readOutbound();
        channel.writeInbound(full(200));
        HttpResponse seen = channel.readInbound();
        assertFalse(seen.headers().contains(HttpHeaderNames.CONTENT_LENGTH));
        assertFalse(seen.headers().contains(HttpHeaderNames.TRANSFER_ENCODING));
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void aResponseEndingWithItsHeadersIsSplitWithLengthZero() {
        EmbeddedChannel channel = stream();
        channel.writeInbound(full(200));
        HttpResponse seen = channel.readInbound();
        assertFalse(seen instanceof FullHttpResponse, "the exchange takes a head, then an end");
        assertEquals("0", seen.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertFalse(seen.headers().contains(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text()));
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void noContentGetsNoLength() {
        EmbeddedChannel channel = stream();
        channel.writeInbound(full(204));
        HttpResponse seen = channel.readInbound();
        assertFalse(seen.headers().contains(HttpHeaderNames.CONTENT_LENGTH));
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void aFullResponseWithBodyAndTrailersKeepsThem() {
        EmbeddedChannel channel = stream();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII));
        response.trailingHeaders().set("x-sum", "1");
        channel.writeInbound(response);
        HttpResponse seen = channel.readInbound();
        assertEquals("chunked", seen.headers().get(HttpHeaderNames.TRANSFER_ENCODING), "no length, a body follows");
        assertFalse(seen.headers().contains(HttpHeaderNames.CONTENT_LENGTH));
        LastHttpContent end = channel.readInbound();
        assertEquals("abc", end.content().toString(StandardCharsets.US_ASCII));
        assertEquals("1", end.trailingHeaders().get("x-sum"));
        end.release();
        assertFalse(channel.finish());
    }

    @Test
    void anInterimResponseEndsAtOnce() {
        EmbeddedChannel channel = stream();
        channel.writeInbound(head(103));
        HttpResponse seen = channel.readInbound();
        assertEquals(103, seen.status().code());
        assertFalse(seen.headers().contains(HttpHeaderNames.TRANSFER_ENCODING));
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, channel.readInbound());
        assertFalse(channel.finish());
    }

    private static EmbeddedChannel withConnection(ServerConnection conn) {
        EmbeddedChannel channel = stream();
        channel.pipeline().addLast(ServerConnection.NAME, conn);
        return channel;
    }

    @Test
    void aResetStreamIsNotResent() {
        ServerConnection conn = new ServerConnection(true);
        EmbeddedChannel channel = withConnection(conn);
        channel.pipeline().fireUserEventTriggered(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
        assertFalse(channel.isOpen(), "the stream ends");
        assertFalse(conn.resendable(true, true, false), "the server failed this request");
    }

    @Test
    void aResetReadAsAFrameCountsTheSame() {
        ServerConnection conn = new ServerConnection(true);
        EmbeddedChannel channel = withConnection(conn);
        channel.writeInbound(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
        assertFalse(channel.isOpen());
        assertFalse(conn.resendable(true, true, false));
    }

    @Test
    void aRefusedStreamMayGoAgainOnce() {
        ServerConnection conn = new ServerConnection(true);
        EmbeddedChannel channel = withConnection(conn);
        channel.pipeline().fireUserEventTriggered(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
        assertFalse(channel.isOpen());
        assertTrue(conn.resendable(false, false, false), "never processed: safe even on a new connection");
        assertFalse(conn.resendable(false, false, true), "once only");
    }

    @Test
    void aStreamAboveTheGoAwayMayGoAgainOnce() {
        ServerConnection conn = new ServerConnection(true);
        EmbeddedChannel channel = withConnection(conn);
        DefaultHttp2GoAwayFrame goAway = new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR,
                Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII));
        channel.pipeline().fireUserEventTriggered(goAway);
        assertFalse(channel.isOpen());
        assertEquals(0, goAway.refCnt(), "the event's frame is released");
        assertTrue(conn.resendable(false, false, false));
        assertFalse(conn.resendable(false, false, true));
    }

    @Test
    void aClosedSharedStreamGoesAgainOnlyOnce() {
        ServerConnection conn = new ServerConnection(true);
        assertTrue(conn.resendable(true, true, false));
        assertFalse(conn.resendable(true, true, true));
        assertFalse(conn.resendable(false, true, false), "a new connection that closed: nothing to retry");
        assertTrue(conn.multiplexed());
        ServerConnection http1 = new ServerConnection();
        assertFalse(http1.multiplexed());
        assertTrue(http1.resendable(true, true, true), "HTTP/1.1 keeps its rule: a reused connection that closed");
        assertInstanceOf(ServerConnection.class, http1);
    }

    @Test
    void aBodylessRequestGoesAsOneMessageThatEndsTheStream() {
        EmbeddedChannel channel = stream();
        channel.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        channel.flush();
        FullHttpRequest out = channel.readOutbound();
        assertEquals("/", out.uri());
        assertFalse(out.content().isReadable());
        assertTrue(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).isSuccess(), "its end is done");
        assertNull(channel.readOutbound(), "and not written twice");
        assertFalse(channel.finish());
    }

    @Test
    void aRequestWithABodyKeepsItsParts() {
        EmbeddedChannel channel = stream();
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        post.headers().set(HttpHeaderNames.CONTENT_LENGTH, "3");
        channel.write(post);
        channel.writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)));
        HttpRequest head = channel.readOutbound();
        assertFalse(head instanceof FullHttpRequest);
        LastHttpContent body = channel.readOutbound();
        assertEquals("abc", body.content().toString(StandardCharsets.US_ASCII));
        body.release();
        assertFalse(channel.finish());
    }

    @Test
    void connectIsNotCarriedToAnH2Server() {
        ServerConnection conn = new ServerConnection(true);
        EmbeddedChannel channel = withConnection(conn);
        io.netty.channel.ChannelFuture write = channel.writeAndFlush(
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, "example.test:443"));
        assertFalse(write.isSuccess());
        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
        assertFalse(conn.resendable(true, true, false), "it fails with a 502, not again elsewhere");
    }
}
