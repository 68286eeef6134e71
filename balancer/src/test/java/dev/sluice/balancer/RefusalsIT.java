package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.http.HttpRefusal;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.Ports;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests the balancer must answer itself: smuggling attempts and oversized heads (400/414/431,
 * never forwarded), dead, silent and broken servers (503/504/502), timeouts and errorfiles.
 */
class RefusalsIT {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static void refusedAndNeverForwarded(String request, int status, HttpRefusal refusal) {
        try (ScriptedServer server = new ScriptedServer(OK);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            RawHttp.Response response = client.send(request).read();
            assertEquals(status, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(client.closedByPeer(), "connection left open after a refusal");
            assertEquals(0, server.heads().size(), "forwarded: " + server.heads());
            assertEquals(1, balancer.httpFrontend("fe").refusals(refusal));
        }
    }

    @Test
    void contentLengthAndTransferEncodingTogether() {
        refusedAndNeverForwarded("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", 400, HttpRefusal.AMBIGUOUS_LENGTH);
    }

    @Test
    void conflictingContentLengths() {
        refusedAndNeverForwarded("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\nhello",
                400, HttpRefusal.AMBIGUOUS_LENGTH);
    }

    @Test
    void invalidContentLength() {
        refusedAndNeverForwarded("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello", 400, HttpRefusal.AMBIGUOUS_LENGTH);
    }

    @Test
    void invalidCharacterInHeaderName() {
        refusedAndNeverForwarded("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\u000b: chunked\r\n\r\n", 400, HttpRefusal.MALFORMED_REQUEST);
    }

    @Test
    void obsoleteLineFolding() {
        refusedAndNeverForwarded("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\n\r\n", 400, HttpRefusal.OBSOLETE_FOLDING);
    }

    @Test
    void twoHostHeaders() {
        refusedAndNeverForwarded("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, HttpRefusal.AMBIGUOUS_HOST);
    }

    @Test
    void transferCodingOtherThanChunked() {
        refusedAndNeverForwarded("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                422, HttpRefusal.TRANSFER_CODING);
    }

    @Test
    void moreHeaderLinesThanHaproxyAllows() {
        refusedAndNeverForwarded("GET / HTTP/1.1\r\nHost: a\r\n" + "X-H: v\r\n".repeat(101) + "\r\n", 400, HttpRefusal.TOO_MANY_HEADERS);
    }

    @Test
    void overlongUri() {
        refusedAndNeverForwarded("GET /" + "u".repeat(17_000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, HttpRefusal.URI_TOO_LONG);
    }

    @Test
    void headersOverBufsize() {
        refusedAndNeverForwarded("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "h".repeat(17_000) + "\r\n\r\n", 431, HttpRefusal.HEADERS_TOO_LARGE);
    }

    @Test
    void deadServerIsRetriedThen503() {
        InetSocketAddress dead = new InetSocketAddress("127.0.0.1", Ports.free());
        try (RunningBalancer balancer = Balancer.start(Plans.http().server("dead", dead).retries(2).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(503, client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
            assertEquals(1, balancer.httpFrontend("fe").refusals(HttpRefusal.CONNECT_FAILED));
        }
    }

    @Test
    void silentServerGets504() {
        Timeouts quick = Plans.TIMEOUTS.withServer(Duration.ofMillis(300));
        try (ScriptedServer server = new ScriptedServer(null);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).backTimeouts(quick).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(504, client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
        }
    }

    @Test
    void garbageResponseGets502() {
        try (ScriptedServer server = new ScriptedServer("SPDY/9 what\r\n\r\n");
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(502, client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
        }
    }

    @Test
    void serverClosingWithoutResponseGets502() {
        // A listener that accepts, reads the request and hangs up without a word.
        try (java.net.ServerSocket dropper = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 4; i++) {
                    try (java.net.Socket s = dropper.accept()) {
                        s.getInputStream().read();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            try (RunningBalancer balancer = Balancer.start(Plans.http()
                    .server("s", new InetSocketAddress("127.0.0.1", dropper.getLocalPort())).build());
                 RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
                assertEquals(502, client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
            }
            acceptor.interrupt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void slowRequestHeadGets408() {
        Timeouts quick = Plans.TIMEOUTS.withHttpRequest(Duration.ofMillis(300));
        try (ScriptedServer server = new ScriptedServer(OK);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).frontTimeouts(quick).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(408, client.send("GET / HTTP/1.1\r\nHost: a\r\n").read().status());
            assertEquals(0, server.heads().size());
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedQuietly() {
        Timeouts quick = Plans.TIMEOUTS.withHttpKeepAlive(Duration.ofMillis(300));
        try (ScriptedServer server = new ScriptedServer(OK);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).frontTimeouts(quick).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(200, client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void errorfileReplacesTheBuiltInPage() {
        String page = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nsorry";
        InetSocketAddress dead = new InetSocketAddress("127.0.0.1", Ports.free());
        try (RunningBalancer balancer = Balancer.start(Plans.http().server("dead", dead).retries(0)
                .errorfiles(Map.of(503, page.getBytes(StandardCharsets.ISO_8859_1))).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertEquals(503, response.status());
            assertEquals("sorry", response.text());
        }
    }

    @Test
    void truncatedResponseBodyEndsTheClientConnectionIncomplete() throws Exception {
        try (java.net.ServerSocket liar = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = liar.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // the test sees the outcome on the client side
                }
            });
            try (RunningBalancer balancer = Balancer.start(Plans.http()
                    .server("s", new InetSocketAddress("127.0.0.1", liar.getLocalPort())).build());
                 java.net.Socket client = new java.net.Socket("127.0.0.1",
                         ((InetSocketAddress) balancer.boundAddresses().getFirst()).getPort())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                String got = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(got.startsWith("HTTP/1.1 200 OK\r\n"), got);
                assertTrue(got.endsWith("\r\n\r\nabc"), "the client must see the body cut short, then the close: " + got);
            }
            server.join(5_000);
        }
    }

    @Test
    void badChunkFromTheClientIsNotForwardedAsAnEnd() {
        try (ScriptedServer server = new ScriptedServer(null);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n");
            RawHttp.Response response = client.read();
            assertEquals(400, response.status());
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void clientThatStopsReadingIsCutOffAtTimeoutClient() throws Exception {
        Timeouts quick = Plans.TIMEOUTS.withClient(Duration.ofMillis(300));
        int size = 48 << 20;
        String reply = "HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n" + "x".repeat(size);
        try (ScriptedServer server = new ScriptedServer(reply);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).frontTimeouts(quick).build());
             java.net.Socket client = new java.net.Socket()) {
            // A fixed small receive buffer: the kernel may otherwise grow it to tens of MiB.
            client.setReceiveBufferSize(64 << 10);
            client.connect(balancer.boundAddresses().getFirst());
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            // Not reading: socket buffers fill (a few MiB), the balancer sees an unwritable client.
            Thread.sleep(4_000);
            byte[] got = client.getInputStream().readAllBytes();
            assertTrue(got.length < size, "the whole response arrived: the client was never cut off");
        }
    }
}
