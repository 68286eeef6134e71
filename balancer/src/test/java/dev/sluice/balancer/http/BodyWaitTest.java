package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.Monitor;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** option http-buffer-request: what BodyWait holds, when it lets go, and its 100 Continue. */
class BodyWaitTest {
    private static final int BUFSIZE = 2048;
    private static final int LIMIT = BUFSIZE - BodyWait.MAX_REWRITE;

    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new BodyWait(BUFSIZE, true, new MonitorUri(new Monitor("/health", List.of()))),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    events.add(evt);
                }
            });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static HttpRequest post(String uri, int length, Map<String, String> headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        request.headers().set("content-length", length);
        headers.forEach(request.headers()::set);
        return request;
    }

    private static HttpContent part(int bytes) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    private void assertNothingPassed() {
        Object passed = channel.readInbound();
        assertNull(passed);
    }

    @Test
    void aRequestWithABodyPassesOnlyOnceItsBodyIsComplete() {
        channel.writeInbound(post("/up", 20, Map.of()));
        channel.writeInbound(part(10));
        assertNothingPassed();
        assertEquals(List.of(BodyWait.STARTED), events);
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[10])));
        HttpRequest head = channel.readInbound();
        assertEquals("/up", head.uri());
        HttpContent first = channel.readInbound();
        assertEquals(10, first.content().readableBytes());
        first.release();
        LastHttpContent last = channel.readInbound();
        assertEquals(10, last.content().readableBytes());
        last.release();
        assertNothingPassed();
    }

    @Test
    void aBodylessRequestIsNotHeld() {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertInstanceOf(HttpRequest.class, channel.readInbound());
        assertInstanceOf(LastHttpContent.class, channel.readInbound());
        assertTrue(events.isEmpty());
    }

    @Test
    void aBufferFullOfBodyEndsTheWait() {
        channel.writeInbound(post("/big", 10 * LIMIT, Map.of()));
        channel.writeInbound(part(LIMIT - 1));
        assertNothingPassed();
        channel.writeInbound(part(1));
        assertInstanceOf(HttpRequest.class, channel.readInbound());
        ReferenceCountUtil.release(channel.readInbound());
        ReferenceCountUtil.release(channel.readInbound());
        // The rest of the body streams through.
        channel.writeInbound(part(5));
        HttpContent more = channel.readInbound();
        assertEquals(5, more.content().readableBytes());
        more.release();
    }

    @Test
    void theMonitorUriIsNeverHeld() {
        channel.writeInbound(post("/health", 5, Map.of()));
        assertInstanceOf(HttpRequest.class, channel.readInbound());
        assertTrue(events.isEmpty());
    }

    @Test
    void expectContinueIsAnsweredHereAndRemoved() {
        channel.writeInbound(post("/up", 3, Map.of("expect", "100-continue")));
        FullHttpResponse interim = channel.readOutbound();
        assertEquals(HttpResponseStatus.CONTINUE, interim.status());
        interim.release();
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[3])));
        HttpRequest head = channel.readInbound();
        assertFalse(head.headers().contains("expect"));
        ReferenceCountUtil.release(channel.readInbound());
    }

    @Test
    void theContinueWaitsForTheResponseBeingWritten() {
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeInbound(post("/next", 3, Map.of("expect", "100-continue")));
        assertInstanceOf(DefaultHttpResponse.class, channel.readOutbound());
        Object none = channel.readOutbound();
        assertNull(none);
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertInstanceOf(LastHttpContent.class, channel.readOutbound());
        FullHttpResponse interim = channel.readOutbound();
        assertEquals(HttpResponseStatus.CONTINUE, interim.status());
        interim.release();
    }

    @Test
    void aBodyThatArrivesBeforeTheContinueCancelsIt() {
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeInbound(post("/next", 3, Map.of("expect", "100-continue")));
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[3])));
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertInstanceOf(DefaultHttpResponse.class, channel.readOutbound());
        assertInstanceOf(LastHttpContent.class, channel.readOutbound());
        Object none = channel.readOutbound();
        assertNull(none);
        assertInstanceOf(HttpRequest.class, channel.readInbound());
        ReferenceCountUtil.release(channel.readInbound());
    }

    @Test
    void heldPartsAreReleasedWhenTheConnectionEnds() {
        HttpContent held = part(4);
        channel.writeInbound(post("/up", 8, Map.of()));
        channel.writeInbound(held);
        channel.close();
        assertEquals(0, held.refCnt());
    }
}
