package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.EchoServer;
import dev.sluice.balancer.support.H2Nginx;
import dev.sluice.balancer.support.H2ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server ... proto h2}: requests go to the server as streams of shared HTTP/2 connections (h2c
 * with prior knowledge), from HTTP/1.1 clients and from HTTP/2 clients of a {@code proto h2} bind. The
 * server is Debian's nginx ({@code listen ... http2}); resets and GOAWAY come from a scripted raw server.
 */
class H2ServerIT {
    private static final int ONE_MIB = 1 << 20;
    private static EchoServer echo;
    private static H2Nginx nginx;
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        echo = new EchoServer();
        nginx = new H2Nginx("n1", echo.address(), 128);
        dir = Files.createTempDirectory("sluice-h2server-");
    }

    @AfterAll
    static void stop() {
        nginx.close();
        echo.close();
    }

    /** A balancer with an HTTP/1.1 bind (first) and an h2c bind, one event loop, one server {@code proto h2}. */
    private static Path config(int h1Port, int h2Port, InetSocketAddress server, String serverOptions) throws IOException {
        return config(h1Port, h2Port, server, serverOptions, "20s");
    }

    private static Path config(int h1Port, int h2Port, InetSocketAddress server, String serverOptions,
                               String timeoutServer) throws IOException {
        return config(h1Port, h2Port, server, serverOptions, timeoutServer, "");
    }

    private static Path config(int h1Port, int h2Port, InetSocketAddress server, String serverOptions,
                               String timeoutServer, String defaultsExtra) throws IOException {
        Path file = Files.createTempFile(dir, "h2server", ".cfg");
        Files.writeString(file, """
                global
                  nbthread 1
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 20s
                  timeout server %s
                  %s
                frontend fe
                  bind 127.0.0.1:%d
                  bind 127.0.0.1:%d proto h2
                  default_backend b
                backend b
                  server s1 %s:%d proto h2 %s
                """.formatted(timeoutServer, defaultsExtra, h1Port, h2Port, server.getHostString(), server.getPort(), serverOptions));
        return file;
    }

    private static RunningBalancer start(Path config) {
        LoadResult loaded = ConfigLoader.load(List.of(config));
        assertTrue(loaded.isValid(), loaded.render());
        return Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
    }

    private static final class Setup implements AutoCloseable {
        final int h1 = Ports.free();
        final int h2 = Ports.free();
        final RunningBalancer balancer;

        Setup(InetSocketAddress server, String options) throws IOException {
            this(server, options, "20s");
        }

        Setup(InetSocketAddress server, String options, String timeoutServer) throws IOException {
            this(server, options, timeoutServer, "");
        }

        Setup(InetSocketAddress server, String options, String timeoutServer, String defaultsExtra) throws IOException {
            balancer = start(config(h1, h2, server, options, timeoutServer, defaultsExtra));
        }

        String h1(String path) {
            return "http://127.0.0.1:" + h1 + path;
        }

        String h2(String path) {
            return "http://127.0.0.1:" + h2 + path;
        }

        @Override
        public void close() {
            balancer.close();
        }
    }

    private static ExternalProcess.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
        command.addAll(List.of(args));
        return ExternalProcess.run("curl", command, Duration.ofSeconds(40));
    }

    @Test
    void http1ClientReachesTheServerOverHttp2() throws IOException {
        try (Setup setup = new Setup(nginx.address(), "")) {
            String out = curl("-i", setup.h1("/hello?x=1")).assertExit(0).output();
            assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
            assertTrue(out.contains("n1 GET /hello?x=1 proto=HTTP/2.0 conn="), out);
            assertTrue(out.toLowerCase().contains("content-length: "), out);
            assertTrue(curl("-I", setup.h1("/big")).assertExit(0).output().toLowerCase()
                    .contains("content-length: " + H2Nginx.BIG_SIZE), "HEAD keeps the length");
            assertEquals("204", curl("-o", "/dev/null", "-w", "%{http_code}", setup.h1("/204")).assertExit(0).output());
            String size = curl("-o", "/dev/null", "-w", "%{size_download}", setup.h1("/big")).assertExit(0).output();
            assertEquals(String.valueOf(H2Nginx.BIG_SIZE), size);
        }
    }

    @Test
    void http2ClientReachesTheServerOverHttp2() throws IOException {
        try (Setup setup = new Setup(nginx.address(), "")) {
            String out = curl("--http2-prior-knowledge", "-w", "|%{http_version}|%{http_code}", setup.h2("/two"))
                    .assertExit(0).output();
            assertTrue(out.startsWith("n1 GET /two proto=HTTP/2.0 conn="), out);
            assertTrue(out.endsWith("|2|200"), out);
        }
    }

    /** 1,000 requests, 100 at a time on one client connection, ride one or two server connections. */
    @Test
    void hundredConcurrentStreamsShareFewServerConnections() throws IOException {
        try (Setup setup = new Setup(nginx.address(), "")) {
            long before = nginx.accepts();
            ExternalProcess.Result result = ExternalProcess.run("h2load", List.of("h2load", "-n", "1000", "-c", "1",
                    "-m", "100", setup.h2("/")), Duration.ofSeconds(60)).assertExit(0);
            assertTrue(result.output().contains("1000 succeeded, 0 failed, 0 errored"), result.output());
            assertTrue(result.output().contains("status codes: 1000 2xx"), result.output());
            // accepts() counts its own connection each time it is asked.
            long serverConnections = nginx.accepts() - before - 1;
            assertTrue(serverConnections >= 1 && serverConnections <= 2, "server connections: " + serverConnections);
            // Stats: every stream counted on the server, its slot given back, bytes both ways (DATA payloads).
            dev.sluice.balancer.backend.Server server = setup.balancer.backend("b").server("s1");
            assertEquals(1000, server.counters().total());
            assertEquals(0, server.busy(), "every stream gave its maxconn slot back");
            assertTrue(server.counters().bytesIn() >= 1000L * "n1 GET / proto=HTTP/2.0 conn=1\n".length(),
                    "response bytes: " + server.counters().bytesIn());
        }
    }

    /** A server allowing 10 streams per connection: 50 at a time all succeed (they wait or go on new connections). */
    @Test
    void theServersStreamLimitIsHonoured() throws IOException {
        try (H2Nginx narrow = new H2Nginx("narrow", echo.address(), 10);
             Setup setup = new Setup(narrow.address(), "")) {
            ExternalProcess.Result result = ExternalProcess.run("h2load", List.of("h2load", "-n", "500", "-c", "2",
                    "-m", "50", setup.h2("/")), Duration.ofSeconds(60)).assertExit(0);
            assertTrue(result.output().contains("500 succeeded, 0 failed, 0 errored"), result.output());
            assertTrue(result.output().contains("status codes: 500 2xx"), result.output());
        }
    }

    /** {@code maxconn}: a stream holds one slot of the server, so 100 concurrent requests queue behind 5. */
    @Test
    void maxconnCountsStreams() throws IOException {
        try (Setup setup = new Setup(nginx.address(), "maxconn 5")) {
            ExternalProcess.Result result = ExternalProcess.run("h2load", List.of("h2load", "-n", "400", "-c", "1",
                    "-m", "100", setup.h2("/")), Duration.ofSeconds(60)).assertExit(0);
            assertTrue(result.output().contains("400 succeeded, 0 failed, 0 errored"), result.output());
        }
    }

    @Test
    void oneMebibytePostStreamsBothWays(@TempDir Path tmp) throws IOException {
        byte[] body = new byte[ONE_MIB];
        new Random(7).nextBytes(body);
        Path upload = tmp.resolve("up");
        Files.write(upload, body);
        try (Setup setup = new Setup(nginx.address(), "")) {
            Path down1 = tmp.resolve("down1");
            curl("--data-binary", "@" + upload, "-o", down1.toString(), setup.h1("/echo")).assertExit(0);
            assertArrayEquals(body, Files.readAllBytes(down1), "HTTP/1.1 client");
            Path down2 = tmp.resolve("down2");
            curl("--http2-prior-knowledge", "--data-binary", "@" + upload, "-o", down2.toString(), setup.h2("/echo"))
                    .assertExit(0);
            assertArrayEquals(body, Files.readAllBytes(down2), "HTTP/2 client");
        }
    }

    /**
     * RST_STREAM from the server: 502 for that request; the other, in flight beside it on the same client
     * and server connections, is answered. (h2load sends both at once; curl 7.88 cannot reuse an h2c
     * connection for a second URL, even to nginx alone.)
     */
    @Test
    void aResetStreamFailsThatRequestOnly() throws IOException {
        try (H2ScriptedServer server = new H2ScriptedServer(); Setup setup = new Setup(server.address(), "")) {
            ExternalProcess.Result result = ExternalProcess.run("h2load", List.of("h2load", "-n", "2", "-c", "1",
                    "-m", "2", setup.h2("/reset"), setup.h2("/ok")), Duration.ofSeconds(30)).assertExit(0);
            assertTrue(result.output().contains("status codes: 1 2xx, 0 3xx, 0 4xx, 1 5xx"), result.output());
            String h1 = curl("-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} ", setup.h1("/reset"), setup.h1("/ok"))
                    .assertExit(0).output();
            assertEquals("502 200 ", h1);
            assertEquals(1, server.connections(), "the reset closed only a stream: " + server.requests());
            assertEquals(4, server.headersEndingStream(), "each GET is one HEADERS frame with END_STREAM");
        }
    }

    /**
     * GOAWAY naming the first of two streams in flight: the first is answered on that connection, the
     * second, never processed, goes again on a new connection.
     */
    @Test
    void goAwayFinishesTheStreamsBelowAndResendsTheOthers() throws IOException {
        try (H2ScriptedServer server = new H2ScriptedServer().goAwayOnSecondStream();
             Setup setup = new Setup(server.address(), "")) {
            ExternalProcess.Result result = ExternalProcess.run("h2load", List.of("h2load", "-n", "2", "-c", "1",
                    "-m", "2", setup.h2("/")), Duration.ofSeconds(30)).assertExit(0);
            assertTrue(result.output().contains("2 succeeded, 0 failed, 0 errored"), result.output());
            assertTrue(result.output().contains("status codes: 2 2xx"), result.output());
            assertEquals(List.of("conn=1 /", "conn=1 /", "conn=2 /"), server.requests());
        }
    }

    /**
     * {@code timeout server} on a stream the server never answers: 504, and the stream is reset (RST_STREAM
     * to the server) while its connection goes on serving; a client that gives up resets its stream too.
     */
    @Test
    void aSilentStreamTimesOutAloneAndIsReset() throws IOException {
        try (H2ScriptedServer server = new H2ScriptedServer(); Setup setup = new Setup(server.address(), "", "1s")) {
            assertEquals("504", curl("-o", "/dev/null", "-w", "%{http_code}", setup.h1("/hang")).output());
            assertEquals("200", curl("-o", "/dev/null", "-w", "%{http_code}", setup.h1("/ok")).output());
            ExternalProcess.Result gaveUp = ExternalProcess.run("curl", List.of("curl", "-sS", "--max-time", "0.3",
                    setup.h1("/hang")), Duration.ofSeconds(10));
            assertEquals(28, gaveUp.exit(), gaveUp.output());
            assertEquals("200", curl("-o", "/dev/null", "-w", "%{http_code}", setup.h1("/ok")).output());
            assertEquals(1, server.connections(), "one connection served all: " + server.requests());
            // Without option abortonclose the client's FIN does not drop its request (as HAProxy): its
            // stream is reset when timeout server (1s) ends it. Bounded wait: 5 s in 50 ms steps.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (server.resets().size() < 2 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            assertEquals(2, server.resets().size(), "both abandoned streams were reset: " + server.resets());
        }
    }

    /** The access log names the h2 server and its status, for an answer and for a reset stream. */
    @Test
    void accessLogLinesNameTheServer() throws Exception {
        try (dev.sluice.balancer.support.SyslogReceiver syslog = new dev.sluice.balancer.support.SyslogReceiver();
             H2ScriptedServer server = new H2ScriptedServer();
             Setup setup = new Setup(server.address(), "", "20s",
                     "log 127.0.0.1:" + syslog.port() + " local0\n  option httplog")) {
            curl("-o", "/dev/null", setup.h1("/logged")).assertExit(0);
            String answered = syslog.next();
            assertTrue(answered.contains(" fe b/s1 ") && answered.contains(" 200 ")
                    && answered.contains("\"GET /logged HTTP/1.1\""), answered);
            curl("-o", "/dev/null", setup.h1("/reset")).assertExit(0);
            String reset = syslog.next();
            assertTrue(reset.contains(" fe b/s1 ") && reset.contains(" 502 ") && reset.contains("\"GET /reset HTTP/1.1\""),
                    reset);
        }
    }
}
