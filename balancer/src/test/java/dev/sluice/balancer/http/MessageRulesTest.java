package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.ForwardFor;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageRulesTest {
    private static final ForwardedFor XFF = new ForwardedFor(ForwardFor.ENABLED, ForwardFor.DISABLED);

    private static HttpResponse response(HttpResponseStatus status, String... headers) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        for (int i = 0; i < headers.length; i += 2) {
            response.headers().add(headers[i], headers[i + 1]);
        }
        return response;
    }

    @Test
    void lengthFramedResponseKeepsBothConnections() {
        HttpResponse r = response(HttpResponseStatus.OK, "Content-Length", "2");
        assertEquals(MessageRules.SERVER_REUSABLE, MessageRules.prepareResponse(r, false, false, true));
        assertNull(r.headers().get("Connection"));
    }

    @Test
    void closeDelimitedResponseIsChunkedForHttp11Clients() {
        HttpResponse r = response(HttpResponseStatus.OK, "Connection", "close");
        assertEquals(0, MessageRules.prepareResponse(r, false, false, true));
        assertEquals("chunked", r.headers().get("Transfer-Encoding"));
        assertNull(r.headers().get("Connection"));
    }

    @Test
    void chunkedResponseToHttp10ClientIsCloseDelimited() {
        HttpResponse r = response(HttpResponseStatus.OK, "Transfer-Encoding", "chunked");
        int outcome = MessageRules.prepareResponse(r, false, true, true);
        assertEquals(MessageRules.CLOSE_CLIENT | MessageRules.SERVER_REUSABLE, outcome);
        assertNull(r.headers().get("Transfer-Encoding"));
        assertEquals("close", r.headers().get("Connection"));
    }

    @Test
    void keptAliveHttp10ClientIsToldSo() {
        HttpResponse r = response(HttpResponseStatus.OK, "Content-Length", "0");
        assertEquals(MessageRules.SERVER_REUSABLE, MessageRules.prepareResponse(r, false, true, true));
        assertEquals("keep-alive", r.headers().get("Connection"));
    }

    @Test
    void bodylessResponsesAreNeverChunked() {
        for (HttpResponseStatus status : List.of(HttpResponseStatus.NO_CONTENT, HttpResponseStatus.NOT_MODIFIED)) {
            HttpResponse r = response(status);
            assertEquals(MessageRules.SERVER_REUSABLE, MessageRules.prepareResponse(r, false, false, true));
            assertFalse(r.headers().contains("Transfer-Encoding"));
        }
        HttpResponse head = response(HttpResponseStatus.OK);
        MessageRules.prepareResponse(head, true, false, true);
        assertFalse(head.headers().contains("Transfer-Encoding"));
    }

    @Test
    void clientThatAskedToCloseGetsConnectionClose() {
        HttpResponse r = response(HttpResponseStatus.OK, "Content-Length", "2", "Keep-Alive", "timeout=5");
        int outcome = MessageRules.prepareResponse(r, false, false, false);
        assertTrue((outcome & MessageRules.CLOSE_CLIENT) != 0);
        assertEquals("close", r.headers().get("Connection"));
        assertNull(r.headers().get("Keep-Alive"));
    }

    @Test
    void requestKeepsItsVersionAndGetsForwardedFor() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/");
        request.headers().add("Connection", "keep-alive");
        MessageRules.prepareRequest(request, false, XFF, new AsciiString("192.0.2.1"));
        assertEquals(HttpVersion.HTTP_1_0, request.protocolVersion());
        assertEquals(List.of("X-Forwarded-For", "connection"), request.headers().names().stream().toList());
        assertEquals("keep-alive", request.headers().get("Connection"));
    }

    @Test
    void serverCloseAsksHttp11ServersToCloseAndLeavesHttp10Alone() {
        HttpRequest http11 = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        http11.headers().add("Connection", "keep-alive");
        MessageRules.prepareRequest(http11, false, XFF, null, true);
        assertEquals("close", http11.headers().get("Connection"));

        HttpRequest http10 = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/");
        http10.headers().add("Connection", "keep-alive");
        MessageRules.prepareRequest(http10, false, XFF, null, true);
        assertNull(http10.headers().get("Connection"));

        HttpRequest upgrade = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        upgrade.headers().add("Connection", "Upgrade").add("Upgrade", "websocket");
        MessageRules.prepareRequest(upgrade, true, XFF, null, true);
        assertEquals("upgrade", upgrade.headers().get("Connection"));
    }

    @Test
    void upgradeRequestKeepsUpgrade() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        request.headers().add("Connection", "keep-alive, Upgrade").add("Upgrade", "websocket");
        MessageRules.prepareRequest(request, true, XFF, null);
        assertEquals("upgrade", request.headers().get("Connection"));
        assertEquals("websocket", request.headers().get("Upgrade"));
        assertFalse(request.headers().contains("X-Forwarded-For"));
    }

    @Test
    void idempotentMethods() {
        assertTrue(MessageRules.idempotent(HttpMethod.GET));
        assertTrue(MessageRules.idempotent(HttpMethod.DELETE));
        assertFalse(MessageRules.idempotent(HttpMethod.POST));
        assertFalse(MessageRules.idempotent(HttpMethod.PATCH));
    }

    @Test
    void checksHostAndTransferCoding() {
        HttpRequest ok = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        ok.headers().add("Host", "a").add("Transfer-Encoding", "Chunked");
        assertNull(MessageRules.check(ok));
        HttpRequest twoHosts = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        twoHosts.headers().add("Host", "a").add("Host", "b");
        assertEquals(HttpRefusal.AMBIGUOUS_HOST, MessageRules.check(twoHosts));
        HttpRequest gzip = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        gzip.headers().add("Transfer-Encoding", "gzip, chunked");
        assertEquals(HttpRefusal.TRANSFER_CODING, MessageRules.check(gzip));
    }
}
