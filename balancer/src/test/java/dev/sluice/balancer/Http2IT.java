package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.EchoServer;
import dev.sluice.balancer.support.Nginx;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawH2;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 with prior knowledge ({@code proto h2}) against real nginx and an echo server: curl and h2load. */
class Http2IT {
    private static final int TEN_MB = 10 * 1024 * 1024;
    private static Nginx nginx;
    private static EchoServer echo;
    private static RunningBalancer toNginx;
    private static RunningBalancer toEcho;
    private static RunningBalancer toNobody;

    @BeforeAll
    static void start() {
        nginx = new Nginx("n1");
        echo = new EchoServer();
        toNginx = Balancer.start(Plans.http().h2c().server("n1", nginx.address()).build());
        toEcho = Balancer.start(Plans.http().h2c().server("echo", echo.address()).build());
        toNobody = Balancer.start(Plans.http().h2c().server("gone",
                new InetSocketAddress("127.0.0.1", Ports.free())).retries(0).build());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {toNginx, toEcho, toNobody, echo, nginx}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static String url(RunningBalancer balancer, String path) {
        InetSocketAddress address = (InetSocketAddress) balancer.boundAddresses().getFirst();
        return "http://127.0.0.1:" + address.getPort() + path;
    }

    private static ExternalProcess.Result curl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--http2-prior-knowledge",
                "--max-time", "30"));
        command.addAll(List.of(args));
        return ExternalProcess.run("curl", command, Duration.ofSeconds(40));
    }

    @Test
    void curlSpeaksHttp2AndGetsTheServersAnswer() {
        ExternalProcess.Result result = curl("-w", "|%{http_version}|%{http_code}", url(toNginx, "/hello?x=1"))
                .assertExit(0);
        assertTrue(result.output().startsWith("n1 GET /hello?x=1 xff=127.0.0.1 "), result.output());
        assertTrue(result.output().endsWith("|2|200"), result.output());
    }

    @Test
    void headAndBodylessAnswersEndTheStream() {
        assertTrue(curl("-I", url(toNginx, "/big")).assertExit(0).output().contains("content-length: 1048576"));
        assertTrue(curl("-w", "%{http_code}", url(toNginx, "/204")).assertExit(0).output().equals("204"));
    }

    @Test
    void tenMegabytesGoBothWaysIntact(@TempDir Path dir) throws Exception {
        byte[] body = new byte[TEN_MB];
        new Random(12).nextBytes(body);
        Path upload = dir.resolve("up");
        Path download = dir.resolve("down");
        Files.write(upload, body);
        curl("--data-binary", "@" + upload, "-o", download.toString(), url(toEcho, "/echo")).assertExit(0);
        assertArrayEquals(body, Files.readAllBytes(download));
    }

    @Test
    void refusalPagesReachTheStream() {
        ExternalProcess.Result result = curl("-w", "|%{http_version}|%{http_code}", url(toNobody, "/"));
        result.assertExit(0);
        assertTrue(result.output().contains("503 Service Unavailable"), result.output());
        assertTrue(result.output().endsWith("|2|503"), result.output());
    }

    @Test
    void h2loadManyStreamsNoFailure() {
        ExternalProcess.Result result = ExternalProcess.run("h2load", List.of("h2load", "-n", "2000", "-c", "4",
                "-m", "100", url(toNginx, "/")), Duration.ofSeconds(60)).assertExit(0);
        assertTrue(result.output().contains("2000 succeeded, 0 failed, 0 errored"), result.output());
    }

    /** Drain (reload, shutdown): GOAWAY(NO_ERROR) naming the stream in flight, which then finishes. */
    @Test
    void drainSendsGoAwayAndTheStreamInFlightFinishes() throws Exception {
        RunningBalancer draining = Balancer.start(Plans.http().h2c().server("echo", echo.address()).build());
        Thread closer = new Thread(draining::close, "drain");
        try (RawH2 client = RawH2.connect(draining.boundAddresses().getFirst())) {
            client.request(1, "POST", "/drain", false).frame(RawH2.DATA, 0, 1, "first ".getBytes()).flush();
            assertNotNull(client.await(RawH2.HEADERS, 1), "no response head");
            closer.start();
            RawH2.Frame goaway = client.await(RawH2.GOAWAY, 0);
            assertNotNull(goaway, "closed without GOAWAY");
            assertEquals(0, goaway.errorCode());
            int lastStream = java.nio.ByteBuffer.wrap(goaway.payload()).getInt() & 0x7fffffff;
            assertEquals(1, lastStream);
            client.frame(RawH2.DATA, RawH2.END_STREAM, 1, "last".getBytes()).flush();
            boolean ended = false;
            for (int i = 0; i < 10 && !ended; i++) {
                RawH2.Frame data = client.await(RawH2.DATA, 1);
                assertNotNull(data, "the stream in flight was cut");
                ended = (data.flags() & RawH2.END_STREAM) != 0;
            }
            assertTrue(ended, "the response never ended");
        } finally {
            if (!closer.isAlive() && closer.getState() == Thread.State.NEW) {
                draining.close();
            }
            closer.join(Duration.ofSeconds(40));
        }
        assertFalse(closer.isAlive(), "the balancer did not stop");
    }

    /**
     * Stream 1 asks for 1 MB and never grants it window credit beyond the first 65,535 bytes;
     * stream 3, asked for after it, is answered in full all the same (the connection window is
     * open): one stalled stream holds only its own server connection.
     */
    @Test
    void aStalledStreamDoesNotStallTheOthers() {
        try (RawH2 client = RawH2.connect(toNginx.boundAddresses().getFirst())) {
            client.windowUpdate(0, 16 * 1024 * 1024);
            client.request(1, "GET", "/big", true).flush();
            assertNotNull(client.await(RawH2.HEADERS, 1), "no response head on stream 1");
            client.request(3, "GET", "/small", true).flush();
            assertNotNull(client.await(RawH2.HEADERS, 3), "stream 3 waits behind stream 1");
            boolean ended = false;
            for (int i = 0; i < 10 && !ended; i++) {
                RawH2.Frame data = client.await(RawH2.DATA, 3);
                assertNotNull(data, "stream 3 was cut");
                ended = (data.flags() & RawH2.END_STREAM) != 0;
            }
            assertTrue(ended, "stream 3 never ended");
        }
    }
}
