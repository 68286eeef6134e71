package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.HeaderNamePolicy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code option http-restrict-req-hdr-names}: which names are plain, and what each policy does. */
class HeaderNamesTest {

    private static HttpHeaders headers() {
        return new DefaultHttpHeaders().add("Host", "a").add("x_my", "1").add("X.dot", "2").add("ok-Name9", "3")
                .add("x_my", "again");
    }

    @Test
    void onlyLettersDigitsAndDashAreKept() {
        assertTrue(HeaderNames.plain("ok-Name9"));
        for (String name : List.of("x_my", "X.dot", "a~b", "é")) {
            assertFalse(HeaderNames.plain(name), name);
        }
    }

    @Test
    void preserveKeepsAll() {
        HttpHeaders headers = headers();
        assertTrue(HeaderNames.allowed(headers, HeaderNamePolicy.PRESERVE));
        assertEquals(5, headers.size());
    }

    @Test
    void deleteRemovesEveryOffendingLine() {
        HttpHeaders headers = headers();
        assertTrue(HeaderNames.allowed(headers, HeaderNamePolicy.DELETE));
        assertEquals(List.of("Host", "ok-Name9"), headers.names().stream().sorted().toList());
    }

    @Test
    void rejectRefusesAndLeavesTheHeaders() {
        HttpHeaders headers = headers();
        assertFalse(HeaderNames.allowed(headers, HeaderNamePolicy.REJECT));
        assertEquals(5, headers.size());
        assertTrue(HeaderNames.allowed(new DefaultHttpHeaders().add("Plain-9", "1"), HeaderNamePolicy.REJECT));
    }
}
