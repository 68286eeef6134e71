package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** {@code tune.http.maxhdr}: how header lines are counted against the limit (Connection lines are not). */
class HeaderCountTest {

    private static HttpHeaders headers(int plain, int connection) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < plain; i++) {
            headers.add("x-" + i, "v");
        }
        for (int i = 0; i < connection; i++) {
            headers.add("Connection", "keep-alive");
        }
        return headers;
    }

    @Test
    void theLimitItselfPassesAndOneMoreDoesNot() {
        assertFalse(MessageRules.tooManyHeaders(headers(5, 0), 5));
        assertTrue(MessageRules.tooManyHeaders(headers(6, 0), 5));
    }

    @Test
    void connectionLinesDoNotCount() {
        assertFalse(MessageRules.tooManyHeaders(headers(5, 2), 5));
        assertTrue(MessageRules.tooManyHeaders(headers(6, 2), 5));
    }

    @Test
    void aRequestOverTheConfiguredLimitIsRefused() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add(headers(3, 0));
        assertEquals(HttpRefusal.TOO_MANY_HEADERS, MessageRules.check(request, 2));
        assertNull(MessageRules.check(request, 3));
    }
}
