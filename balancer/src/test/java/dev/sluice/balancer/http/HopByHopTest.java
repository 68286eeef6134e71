package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopTest {

    @Test
    void removesConnectionAndTheHeadersItNames() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "X-A, keep-alive").add("Connection", "x-b").add("X-A", "1").add("X-B", "2")
                .add("Keep-Alive", "timeout=5").add("TE", "trailers").add("Trailer", "X-T").add("Upgrade", "h2c")
                .add("Proxy-Connection", "keep-alive").add("Proxy-Authorization", "Basic x").add("X-C", "3");
        HopByHop.strip(headers, false);
        assertEquals(1, headers.size(), headers.toString());
        assertEquals("3", headers.get("X-C"));
    }

    @Test
    void neverRemovesFramingHeadersNamedInConnection() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "Content-Length, Transfer-Encoding, Host")
                .add("Content-Length", "5").add("Host", "a");
        HopByHop.strip(headers, false);
        assertEquals("5", headers.get("Content-Length"));
        assertEquals("a", headers.get("Host"));
        assertFalse(headers.contains("Connection"));
    }

    @Test
    void keepsUpgradeForATunnel() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "Upgrade").add("Upgrade", "websocket");
        assertTrue(HopByHop.isUpgrade(headers));
        HopByHop.strip(headers, true);
        assertEquals("websocket", headers.get("Upgrade"));
    }

    @Test
    void upgradeNeedsBothHeaders() {
        assertFalse(HopByHop.isUpgrade(new DefaultHttpHeaders().add("Upgrade", "websocket")));
        assertFalse(HopByHop.isUpgrade(new DefaultHttpHeaders().add("Connection", "upgrade")));
    }
}
