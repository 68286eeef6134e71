package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorPagesTest {

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    @Test
    void builtInPagesAreCompleteResponsesWithCorrectLength() {
        for (int status : new int[] {400, 408, 414, 431, 502, 503, 504}) {
            String page = text(ErrorPages.BUILT_IN.page(status));
            assertTrue(page.startsWith("HTTP/1.1 " + status + " "), page);
            int split = page.indexOf("\r\n\r\n");
            String length = page.lines().filter(l -> l.startsWith("content-length: ")).findFirst().orElseThrow().substring(16);
            assertEquals(page.length() - split - 4, Integer.parseInt(length), page);
            assertTrue(page.contains("\r\nconnection: close\r\n"));
        }
    }

    @Test
    void errorfilesReplaceAndBackendWins() {
        ErrorPages front = new ErrorPages(Map.of(503, "front".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("front", text(front.page(503)));
        ErrorPages back = front.overriddenBy(Map.of(503, "back".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("back", text(back.page(503)));
        assertTrue(text(back.page(502)).startsWith("HTTP/1.1 502"));
    }

    @Test
    void pagesSurviveManySends() {
        for (int i = 0; i < 3; i++) {
            assertTrue(text(ErrorPages.BUILT_IN.page(400)).startsWith("HTTP/1.1 400"));
        }
    }
}
