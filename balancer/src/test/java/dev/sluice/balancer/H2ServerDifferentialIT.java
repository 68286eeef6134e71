package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.EchoServer;
import dev.sluice.balancer.support.H2Nginx;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential: the same config ({@code server s1 ... proto h2} to Debian's nginx speaking h2c) run by
 * Debian's HAProxy 2.6 and by us; HTTP/1.1 requests whose answers must have the same shape: status, the
 * headers (lower-case, sorted, without {@code date} and {@code connection}), the body framing (a length
 * or chunked) and the body.
 */
class H2ServerDifferentialIT {
    private static EchoServer echo;
    private static H2Nginx nginx;

    /** Requests whose answers are the same every time (no connection numbers). */
    private static final List<String> REQUESTS = List.of(
            "GET /fixed HTTP/1.1\r\nHost: h2.test\r\n\r\n",
            "HEAD /fixed HTTP/1.1\r\nHost: h2.test\r\n\r\n",
            "GET /204 HTTP/1.1\r\nHost: h2.test\r\n\r\n",
            "GET /404 HTTP/1.1\r\nHost: h2.test\r\n\r\n",
            "HEAD /big HTTP/1.1\r\nHost: h2.test\r\n\r\n",
            // The echo server answers chunked; nginx passes it on over h2 without a length.
            "POST /echo HTTP/1.1\r\nHost: h2.test\r\nContent-Length: 11\r\n\r\nhello world",
            "POST /echo HTTP/1.1\r\nHost: h2.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "GET /fixed HTTP/1.0\r\nHost: h2.test\r\n\r\n",
            // nginx does not announce RFC 8441: HAProxy answers a WebSocket upgrade 502 itself.
            "GET /fixed HTTP/1.1\r\nHost: h2.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

    @BeforeAll
    static void start() {
        echo = new EchoServer();
        nginx = new H2Nginx("diff", echo.address(), 128);
    }

    @AfterAll
    static void stop() {
        nginx.close();
        echo.close();
    }

    private static Path config(int port) throws IOException {
        Path file = Files.createTempFile("sluice-h2diff", ".cfg");
        Files.writeString(file, """
                global
                  nbthread 1
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend b
                backend b
                  server s1 %s:%d proto h2
                """.formatted(port, nginx.address().getHostString(), nginx.address().getPort()));
        return file;
    }

    private static List<List<String>> shapes(int port) {
        List<List<String>> shapes = new ArrayList<>();
        for (String request : REQUESTS) {
            try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
                client.setTimeout(10_000);
                RawHttp.Response response = client.send(request).read(request.startsWith("HEAD"));
                shapes.add(shape(request, response));
            }
        }
        return shapes;
    }

    private static List<String> shape(String request, RawHttp.Response response) {
        List<String> shape = new ArrayList<>();
        shape.add(request.substring(0, request.indexOf('\r')) + " -> " + response.status());
        List<String> headers = new ArrayList<>();
        for (Map.Entry<String, String> header : response.headers()) {
            if (!header.getKey().equals("date") && !header.getKey().equals("connection")) {
                headers.add(header.getKey() + ": " + header.getValue());
            }
        }
        headers.sort(null);
        shape.addAll(headers);
        shape.add("body " + new String(response.body(), StandardCharsets.ISO_8859_1));
        return shape;
    }

    @Test
    void responsesHaveHaproxysShape() throws IOException {
        int theirPort = Ports.free();
        List<List<String>> expected;
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f",
                config(theirPort).toString()))) {
            haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
            expected = shapes(theirPort);
        }
        int ourPort = Ports.free();
        LoadResult loaded = ConfigLoader.load(List.of(config(ourPort)));
        assertTrue(loaded.isValid(), loaded.render());
        List<List<String>> actual;
        try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
            actual = shapes(ourPort);
        }
        for (int i = 0; i < REQUESTS.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "request " + i);
        }
    }
}
