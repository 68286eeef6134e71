package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.Monitor;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which request targets the monitor-uri matches, as HAProxy 2.6 compares them, and its page. */
class MonitorUriTest {

    private static MonitorUri monitor(String uri) {
        return new MonitorUri(new Monitor(uri, List.of()));
    }

    @Test
    void anOriginFormTargetMustBeEqualQueryIncluded() {
        MonitorUri health = monitor("/health");
        assertTrue(health.matches("/health"));
        assertFalse(health.matches("/health?x"));
        assertFalse(health.matches("/health/"));
        assertFalse(health.matches("/Health"));
    }

    @Test
    void anAbsoluteFormTargetIsComparedByItsPath() {
        MonitorUri health = monitor("/health");
        assertTrue(health.matches("http://a.example/health"));
        assertFalse(health.matches("http://a.example/health?x"));
        assertFalse(health.matches("http://a.example"));
        assertFalse(health.matches("*"));
    }

    @Test
    void aMonitorUriWithoutSlashMatchesOnlyTheWholeTarget() {
        MonitorUri absolute = monitor("http://a.example/health");
        assertTrue(absolute.matches("http://a.example/health"));
        assertFalse(absolute.matches("/health"));
    }

    @Test
    void noMonitorUriMatchesNothing() {
        assertFalse(new MonitorUri(Monitor.NONE).matches("/"));
    }

    @Test
    void theReadyPageIsHaproxys() {
        ByteBuf page = ErrorPages.BUILT_IN.page(MonitorUri.READY);
        String text = page.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\ncontent-length: 58\r\n"), text);
        assertTrue(text.endsWith("\r\n\r\n<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n"), text);
        ByteBuf head = MonitorUri.headOnly(page);
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        assertTrue(headText.endsWith("\r\n\r\n") && !headText.contains("<html>"), headText);
        assertEquals(text.indexOf("\r\n\r\n") + 4, head.readableBytes());
        head.release();
    }
}
