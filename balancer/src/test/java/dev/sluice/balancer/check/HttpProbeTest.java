package dev.sluice.balancer.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check request bytes and the expect forms. The expected requests were captured from Debian's haproxy
 * 2.6.12 with the same settings (see the comments).
 */
class HttpProbeTest {

    private static String wire(HttpProbe probe) {
        return new String(probe.requestBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void plainHttpchkSendsOptionsOverHttp10() {
        // option httpchk
        assertEquals("OPTIONS / HTTP/1.0\r\n\r\n", wire(HttpProbe.DEFAULT));
    }

    @Test
    void theOldVersionTrickSendsItsHeadersAndClosesOnHttp11() {
        // option httpchk GET /health HTTP/1.1\r\nHost:\ www.x.com
        HttpProbe probe = new HttpProbe("GET", "/health", "HTTP/1.1",
                List.of(new HttpProbe.Header("Host", "www.x.com")), "", false, HttpProbe.Expect.DEFAULT);
        assertEquals("GET /health HTTP/1.1\r\nhost: www.x.com\r\nconnection: close\r\n\r\n", wire(probe));
    }

    @Test
    void sendHeadersAndBody() {
        // option httpchk HEAD /h + http-check send hdr Host foo.example hdr X-A b body hello
        HttpProbe probe = new HttpProbe("HEAD", "/h", "HTTP/1.0", List.of(new HttpProbe.Header("Host",
                "foo.example"), new HttpProbe.Header("X-A", "b")), "hello", true, HttpProbe.Expect.DEFAULT);
        assertEquals("HEAD /h HTTP/1.0\r\nhost: foo.example\r\nx-a: b\r\ncontent-length: 5\r\n\r\nhello",
                wire(probe));
    }

    @Test
    void sendOnHttp11AddsAnEmptyContentLength() {
        // http-check send meth POST uri /p ver HTTP/1.1 hdr Host h
        HttpProbe probe = new HttpProbe("POST", "/p", "HTTP/1.1", List.of(new HttpProbe.Header("Host", "h")), "",
                true, HttpProbe.Expect.DEFAULT);
        assertEquals("POST /p HTTP/1.1\r\nhost: h\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", wire(probe));
    }

    @Test
    void expectForms() {
        assertTrue(HttpProbe.Expect.DEFAULT.passes(302, ""));
        assertFalse(HttpProbe.Expect.DEFAULT.passes(404, ""));
        HttpProbe.Expect status = new HttpProbe.Expect(HttpProbe.Expect.Kind.STATUS, false, "200,301-302");
        assertTrue(status.passes(301, ""));
        assertFalse(status.passes(303, ""));
        HttpProbe.Expect notStatus = new HttpProbe.Expect(HttpProbe.Expect.Kind.STATUS, true, "503");
        assertTrue(notStatus.passes(500, ""));
        assertFalse(notStatus.passes(503, ""));
        HttpProbe.Expect rstatus = new HttpProbe.Expect(HttpProbe.Expect.Kind.RSTATUS, false, "^2");
        assertTrue(rstatus.passes(204, ""));
        assertFalse(rstatus.passes(302, ""));
        HttpProbe.Expect string = new HttpProbe.Expect(HttpProbe.Expect.Kind.STRING, false, "ready");
        assertTrue(string.passes(500, "all ready"), "string forms ignore the status");
        assertFalse(string.passes(200, "starting"));
        HttpProbe.Expect notRstring = new HttpProbe.Expect(HttpProbe.Expect.Kind.RSTRING, true, "err(or)?");
        assertTrue(notRstring.passes(200, "fine"));
        assertFalse(notRstring.passes(200, "an error"));
    }
}
