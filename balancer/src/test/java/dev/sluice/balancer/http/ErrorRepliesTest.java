package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.rules.Reply;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code http-error} replies beside errorfile pages in {@link ErrorPages}: one winner per status in
 * a proxy, and the backend's page or reply over the frontend's (HAProxy 2.6 looks at the backend first).
 */
class ErrorRepliesTest {

    private static final Reply FRONT_REPLY = new Reply(503, "text/plain",
            "front".getBytes(StandardCharsets.UTF_8), null, List.of(), false, false);
    private static final Reply BACK_REPLY = new Reply(503, "text/plain",
            "back".getBytes(StandardCharsets.UTF_8), null, List.of(), false, false);

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    private static Map<Integer, byte[]> page(String body) {
        return Map.of(503, ("HTTP/1.1 503 X\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aFrontendReplyStaysUnlessTheBackendHasOneForTheStatus() {
        ErrorPages front = new ErrorPages(Map.of(), Map.of(503, FRONT_REPLY));
        assertSame(FRONT_REPLY, front.reply(503));
        assertSame(FRONT_REPLY, front.overriddenBy(Map.of(), Map.of()).reply(503));
        assertSame(FRONT_REPLY, front.overriddenBy(Map.of(502, "x".getBytes(StandardCharsets.ISO_8859_1)))
                .reply(503), "a page for another status changes nothing");
        ErrorPages pair = front.overriddenBy(page("back-file"), Map.of());
        assertNull(pair.reply(503), "the backend's errorfile wins over the frontend's reply");
        assertTrue(text(pair.page(503)).endsWith("back-file"));
    }

    @Test
    void aBackendReplyWinsOverTheFrontendsPage() {
        ErrorPages front = new ErrorPages(page("front-file"));
        ErrorPages pair = front.overriddenBy(Map.of(), Map.of(503, BACK_REPLY));
        assertSame(BACK_REPLY, pair.reply(503));
        assertTrue(text(front.page(503)).endsWith("front-file"), "the frontend's own pages are untouched");
        assertNull(front.reply(503));
    }

    @Test
    void theBackendsReplyReplacesTheFrontendsReply() {
        ErrorPages pair = new ErrorPages(Map.of(), Map.of(503, FRONT_REPLY)).overriddenBy(Map.of(),
                Map.of(503, BACK_REPLY));
        assertSame(BACK_REPLY, pair.reply(503));
        assertEquals(null, pair.reply(502));
    }
}
