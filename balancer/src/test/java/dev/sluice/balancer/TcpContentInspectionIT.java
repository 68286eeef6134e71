package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.Nginx;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content inspection behind {@code accept-proxy}: the rules run once the PROXY header was read (so
 * they see the client it names), wait for a request split over several packets, and route on its
 * bytes; a request larger than {@code tune.bufsize} is judged on its first bytes and relayed whole.
 */
class TcpContentInspectionIT {
    private static final int BUFSIZE = 16384;

    @TempDir
    static Path dir;
    private static Nginx web;
    private static Nginx api;
    private static RunningBalancer balancer;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        web = new Nginx("web");
        api = new Nginx("api");
        port = Ports.free();
        Path file = dir.resolve("tcp.cfg");
        Files.writeString(file, """
                global
                  tune.bufsize %d
                defaults
                  mode tcp
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d accept-proxy
                  tcp-request inspect-delay 3s
                  tcp-request content reject if { src 198.51.100.66 }
                  tcp-request content accept if HTTP
                  use_backend api if { req.payload(4,4) -m str /api }
                  default_backend web
                backend web
                  server s 127.0.0.1:%d
                backend api
                  server s 127.0.0.1:%d
                """.formatted(BUFSIZE, port, web.address().getPort(), api.address().getPort()));
        LoadResult loaded = ConfigLoader.load(List.of(file));
        assertTrue(loaded.config().isPresent(), loaded::toString);
        balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (api != null) {
            api.close();
        }
        if (web != null) {
            web.close();
        }
    }

    private static String proxy(String source) {
        return "PROXY TCP4 " + source + " 127.0.0.1 40000 " + port + "\r\n";
    }

    /** Writes the parts with a pause between them; the reply's first body line, or "closed". */
    private static String exchange(String... parts) throws IOException, InterruptedException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    Thread.sleep(300);
                }
                out.write(parts[i].getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] reply;
            try {
                reply = socket.getInputStream().readAllBytes();
            } catch (SocketException e) {
                return "closed";
            }
            if (reply.length == 0) {
                return "closed";
            }
            String text = new String(reply, StandardCharsets.ISO_8859_1);
            return text.substring(text.indexOf("\r\n\r\n") + 4).lines().findFirst().orElse("");
        }
    }

    @Test
    void routesOnTheFirstBytesAfterTheProxyHeader() throws Exception {
        assertTrue(exchange(proxy("198.51.100.5") + "GET /api/x HTTP/1.0\r\n\r\n").startsWith("api GET /api/x"));
        assertTrue(exchange(proxy("198.51.100.5") + "GET /web HTTP/1.0\r\n\r\n").startsWith("web GET /web"));
    }

    @Test
    void waitsForARequestSplitOverPackets() throws Exception {
        String reply = exchange(proxy("198.51.100.5"), "GET /ap", "i/y HTTP/1.0\r\n", "Host: x\r\n\r\n");
        assertTrue(reply.startsWith("api GET /api/y"), reply);
    }

    @Test
    void contentRulesSeeTheClientOfTheProxyHeader() throws Exception {
        long denied = deniedRequests();
        assertEquals("closed", exchange(proxy("198.51.100.66") + "GET /api HTTP/1.0\r\n\r\n"));
        // Counted as HAProxy does: a denied request of the frontend (dreq).
        assertEquals(denied + 1, deniedRequests());
    }

    private static long deniedRequests() {
        return balancer.stats().proxies().stream().filter(p -> p.name().equals("fe")).findFirst().orElseThrow()
                .front().deniedRequests();
    }

    @Test
    void aRequestLargerThanTheBufferIsJudgedOnItsStartAndRelayedWhole() throws Exception {
        StringBuilder request = new StringBuilder("GET /api/big HTTP/1.0\r\n");
        for (int i = 0; request.length() < BUFSIZE + 4000; i++) {
            request.append("X-Filler-").append(i).append(": ").append("f".repeat(40)).append("\r\n");
        }
        request.append("\r\n");
        String reply = exchange(proxy("198.51.100.5") + request);
        assertTrue(reply.startsWith("api GET /api/big"), reply);
    }
}
