package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error pages (raw HTTP/1.1 responses) become response objects for HTTP/2 streams. */
class ErrorPageResponseTest {

    @Test
    void builtInPageKeepsStatusHeadersAndBodyButNotConnection() {
        FullHttpResponse response = ErrorPageResponse.parse(ErrorPages.BUILT_IN.page(503));
        try {
            assertEquals(503, response.status().code());
            assertEquals("text/html", response.headers().get("content-type"));
            assertNull(response.headers().get("connection"));
            String body = response.content().toString(StandardCharsets.ISO_8859_1);
            assertEquals(body.length(), response.headers().getInt("content-length"));
            assertEquals(true, body.contains("503 Service Unavailable"));
        } finally {
            response.release();
        }
    }

    @Test
    void errorfileWithAWrongLengthIsSentWithTheRealOne() {
        byte[] raw = "HTTP/1.0 502 Oops\r\nContent-Length: 99\r\nX-Why: test\r\n\r\nshort".getBytes(StandardCharsets.ISO_8859_1);
        FullHttpResponse response = ErrorPageResponse.parse(new ErrorPages(Map.of(502, raw)).page(502));
        try {
            assertEquals(502, response.status().code());
            assertEquals("test", response.headers().get("x-why"));
            assertEquals(5, response.headers().getInt("content-length"));
        } finally {
            response.release();
        }
    }

    @Test
    void unreadablePageBecomesA500() {
        FullHttpResponse response = ErrorPageResponse.parse(Unpooled.copiedBuffer("garbage", StandardCharsets.US_ASCII));
        try {
            assertEquals(500, response.status().code());
        } finally {
            response.release();
        }
    }
}
