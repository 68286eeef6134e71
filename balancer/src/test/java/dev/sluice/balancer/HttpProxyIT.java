package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.EchoServer;
import dev.sluice.balancer.support.Nginx;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 proxying against real nginx and a streaming echo server, with raw sockets and curl. */
class HttpProxyIT {
    private static Nginx nginx;
    private static EchoServer echo;
    private static RunningBalancer toNginx;
    private static RunningBalancer toEcho;

    @BeforeAll
    static void start() {
        nginx = new Nginx("n1");
        echo = new EchoServer();
        toNginx = Balancer.start(Plans.http().server("n1", nginx.address()).build());
        toEcho = Balancer.start(Plans.http().server("echo", echo.address()).build());
    }

    @AfterAll
    static void stop() {
        if (toNginx != null) {
            toNginx.close();
        }
        if (toEcho != null) {
            toEcho.close();
        }
        if (echo != null) {
            echo.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private static SocketAddress front(RunningBalancer balancer) {
        return balancer.boundAddresses().getFirst();
    }

    private static String url(RunningBalancer balancer, String path) {
        InetSocketAddress address = (InetSocketAddress) front(balancer);
        return "http://127.0.0.1:" + address.getPort() + path;
    }

    @Test
    void curlGetsTheServersAnswerWithForwardedFor() {
        ExternalProcess.Result result = ExternalProcess.run("curl", List.of("curl", "-sS", "--max-time", "10",
                url(toNginx, "/hello?x=1")), Duration.ofSeconds(15)).assertExit(0);
        assertTrue(result.output().startsWith("n1 GET /hello?x=1 xff=127.0.0.1 "), result.output());
    }

    @Test
    void keepAliveClientReusesPooledServerConnections() {
        int firstConn;
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            RawHttp.Response first = client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n").read();
            firstConn = conn(first.text());
            for (int i = 0; i < 3; i++) {
                RawHttp.Response next = client.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, next.status());
                assertNull(next.header("connection"));
            }
        }
        // A new client connection on the same event loop may reuse the pooled server connection;
        // at least across four requests of one client the server saw one connection.
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            RawHttp.Response a = client.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n").read();
            RawHttp.Response b = client.send("GET /d HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(conn(a.text()), conn(b.text()), a.text() + b.text());
            assertTrue(requests(b.text()) > requests(a.text()));
        }
        assertTrue(firstConn > 0);
    }

    private static int conn(String text) {
        Matcher m = Pattern.compile("conn=(\\d+)").matcher(text);
        assertTrue(m.find(), text);
        return Integer.parseInt(m.group(1));
    }

    private static int requests(String text) {
        Matcher m = Pattern.compile("req=(\\d+)").matcher(text);
        assertTrue(m.find(), text);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /3 HTTP/1.1\r\nHost: x\r\n\r\nGET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(client.read().text().contains("GET /1 "));
            assertTrue(client.read().text().contains("GET /2 "));
            RawHttp.Response head = client.read(true);
            assertEquals(200, head.status());
            assertTrue(client.read().text().contains("GET /4 "));
        }
    }

    @Test
    void headAnd204And304CarryNoBodyAndKeepTheConnectionUsable() {
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            RawHttp.Response head = client.send("HEAD /big HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(String.valueOf(Nginx.BIG_SIZE), head.header("content-length"));
            assertEquals(204, client.send("GET /204 HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(304, client.send("GET /304 HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            // Any stray body byte above would corrupt this next response.
            RawHttp.Response after = client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertTrue(after.text().startsWith("n1 GET /after "), after.text());
        }
    }

    @Test
    void largeResponseStreamsIntact() {
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            RawHttp.Response big = client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(Nginx.BIG_SIZE, big.body().length);
            for (int i = 0; i < big.body().length; i += 4099) {
                assertEquals((byte) ('a' + i % 26), big.body()[i]);
            }
        }
    }

    @Test
    void http10ClientGetsAnAnswerAndAClose() {
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            RawHttp.Response response = client.send("GET /old HTTP/1.0\r\n\r\n").read();
            assertEquals(200, response.status());
            assertTrue(response.text().contains("GET /old "));
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void http10KeepAliveClientIsKeptAlive() {
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            RawHttp.Response first = client.send("GET /k1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", first.header("connection"));
            RawHttp.Response second = client.send("GET /k2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertTrue(second.text().contains("GET /k2 "));
        }
    }

    @Test
    void connectionCloseFromClientIsHonoured() {
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            RawHttp.Response response = client.send("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertEquals("close", response.header("connection"));
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void hopByHopHeadersAreNotForwarded() {
        try (RawHttp client = RawHttp.to(front(toNginx))) {
            RawHttp.Response response = client.send("GET /h HTTP/1.1\r\nHost: x\r\nConnection: X-Secret, keep-alive\r\n"
                    + "X-Secret: 1\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n\r\n").read();
            assertEquals(200, response.status());
            assertNull(response.header("keep-alive"));
        }
    }

    @Test
    void chunkedRequestBodyStreamsThroughWithTrailers() {
        try (RawHttp client = RawHttp.to(front(toEcho))) {
            client.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n");
            RawHttp.Response response = client.read();
            assertEquals("hello world", response.text());
            assertEquals("/up", response.header("x-echo-uri"));
            assertEquals(List.of("X-Sum: 11"), response.trailers());
        }
    }

    @Test
    void largeContentLengthBodyStreamsBothWays() {
        byte[] body = new byte[4 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        try (RawHttp client = RawHttp.to(front(toEcho))) {
            Thread writer = Thread.ofVirtual().start(() -> client.send(("POST /bulk HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).send(body));
            RawHttp.Response response = client.read();
            assertArrayEquals(body, response.body());
            writer.join(10_000);
            RawHttp.Response next = client.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok").read();
            assertEquals("ok", next.text());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void expectContinueGetsA100ThenTheResponse() {
        try (RawHttp client = RawHttp.to(front(toEcho))) {
            client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response interim = client.read();
            assertEquals(100, interim.status());
            RawHttp.Response response = client.send("data").read();
            assertEquals(200, response.status());
            assertEquals("data", response.text());
        }
    }

    @Test
    void wrkKeepAliveRunHasNoErrors() {
        ExternalProcess.Result result = ExternalProcess.run("wrk", List.of("wrk", "-t1", "-c8", "-d2",
                url(toNginx, "/wrk")), Duration.ofSeconds(20)).assertExit(0);
        assertTrue(!result.output().contains("Socket errors") && !result.output().contains("Non-2xx"), result.output());
        Matcher m = Pattern.compile("(\\d+) requests in").matcher(result.output());
        assertTrue(m.find() && Integer.parseInt(m.group(1)) > 100, result.output());
    }

    @Test
    void closeDelimitedResponseIsChunkedForAKeptAliveClient() {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello").closeAfterReply();
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            RawHttp.Response first = client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("chunked", first.header("transfer-encoding"));
            assertEquals("hello", first.text());
            RawHttp.Response second = client.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals("hello", second.text());
            assertEquals(2, server.connections());
        }
    }

    @Test
    void pooledConnectionLostInARaceIsRetriedForIdempotentRequests() {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").dropSecondRequest();
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1).server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals("ok", client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            assertEquals("ok", client.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            assertEquals(2, server.connections());
            // Not for a POST: the server may have acted on it.
            assertEquals(502, client.send("POST /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read().status());
        }
    }

    /**
     * http-reuse safe (HAProxy 2.6's default), as haproxy 2.6 was seen to do it: a server connection
     * stays with the client connection that used it while that client lives (another client's first
     * request, even a GET, opens a new one), and serves any request, a first POST included, once that
     * client is gone. HttpReuseIT covers the other modes.
     */
    @Test
    void aClientsFirstRequestTakesAConnectionOnlyOnceItsClientIsGone() throws InterruptedException {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1).server("s", server.address()).build())) {
            try (RawHttp first = RawHttp.to(balancer.boundAddresses().getFirst())) {
                assertEquals("ok", first.send("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
                try (RawHttp meanwhile = RawHttp.to(balancer.boundAddresses().getFirst())) {
                    assertEquals("ok", meanwhile.send("GET /m HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
                    assertEquals(2, server.connections(), "a first GET takes no connection of a living client");
                }
            }
            Thread.sleep(CLOSE_SEEN_MILLIS); // the balancer sees both clients go
            try (RawHttp second = RawHttp.to(balancer.boundAddresses().getFirst())) {
                assertEquals("ok", second.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi").read().text());
                assertEquals(2, server.connections(), "a first POST takes the connection of a client that left");
                assertEquals("ok", second.send("POST /q HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi").read().text());
                assertEquals(2, server.connections(), "later requests reuse the pool");
            }
        }
    }

    /** How long a test leaves the balancer to see clients close before it counts on it. */
    private static final long CLOSE_SEEN_MILLIS = 300;

    @Test
    void headAnswerWithChunkedHeaderGetsNoTerminatingChunk() {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            RawHttp.Response first = client.send("HEAD /1 HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(200, first.status());
            // A stray "0\r\n\r\n" after the first answer would be read here as a status line.
            assertEquals(200, client.send("HEAD /2 HTTP/1.1\r\nHost: x\r\n\r\n").read(true).status());
        }
    }
}
