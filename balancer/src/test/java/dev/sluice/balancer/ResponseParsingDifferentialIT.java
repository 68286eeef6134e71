package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a server's response is read (ResponseHeadDecoder), side by side with Debian's haproxy 2.6: the
 * malformations it answers with a 502, the leniencies it allows (a bare LF, a folded line, no reason
 * phrase), bodies that end when the server closes, and the head limit of
 * {@code tune.bufsize - tune.maxrewrite} (sizes clear of HAProxy's few bytes of per-header
 * overhead). Each case: the status, framing headers and body the client gets must be the same,
 * except where an ambiguous length is refused on purpose (HAProxy keeps one Content-Length of
 * several equal ones, and lets chunked win over Content-Length).
 */
class ResponseParsingDifferentialIT {

    /** @param deliberate what we answer where we differ from HAProxy on purpose, else null */
    record Case(String name, String reply, boolean closes, String deliberate) {
        Case(String name, String reply, boolean closes) {
            this(name, reply, closes, null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case ok(String name, String reply) {
        return new Case(name, reply, false);
    }

    /** HAProxy accepts it; an ambiguous length is refused here on purpose (RFC 9112 §6.3 allows either). */
    private static Case refusedOnPurpose(String name, String reply) {
        return new Case(name, reply, false, "502");
    }

    /** A head of about {@code bytes} bytes, in lines of 1,000 bytes (well under tune.http.maxhdr). */
    private static String sized(int bytes) {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n");
        String line = "X-Pad: " + "a".repeat(991) + "\r\n";
        while (head.length() + line.length() < bytes) {
            head.append(line);
        }
        head.append("X-Last: ").append("b".repeat(Math.max(0, bytes - head.length() - 12))).append("\r\n\r\nabc");
        return head.toString();
    }

    static Stream<Case> cases() {
        return Stream.of(
                ok("plain", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
                ok("chunked with trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"),
                refusedOnPurpose("same Content-Length twice", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
                refusedOnPurpose("same Content-Length listed", "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc"),
                ok("different Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
                ok("signed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc"),
                refusedOnPurpose("Content-Length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabc\r\n0\r\n\r\n"),
                ok("final coding not chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc"),
                ok("chunked twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabc\r\n0\r\n\r\n"),
                ok("status not a number", "HTTP/1.1 2x0 OK\r\nContent-Length: 3\r\n\r\nabc"),
                ok("no reason phrase", "HTTP/1.1 200\r\nContent-Length: 3\r\n\r\nabc"),
                ok("space in a name", "HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 3\r\n\r\nabc"),
                ok("folded line", "HTTP/1.1 200 OK\r\nX-A: 1\r\n b\r\nContent-Length: 3\r\n\r\nabc"),
                ok("bare LF", "HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"),
                ok("not HTTP", "garbage\r\n\r\n"),
                // A body that ends with the connection reaches an HTTP/1.1 client chunked here (see the
                // http package's notes); HAProxy passes it on close-delimited. The body is the same.
                new Case("HTTP/1.0 until close", "HTTP/1.0 200 OK\r\n\r\nabc", true,
                        "200 length=null coding=chunked x-a=null body=abc trailers=[]"),
                ok("head of 14,000 bytes", sized(14_000)),
                ok("head of 15,600 bytes", sized(15_600)),
                ok("head of 16,500 bytes", sized(16_500)));
    }

    private static String config(int port, int server) {
        return """
                global
                  nbthread 1
                defaults
                  mode http
                  retries 0
                  timeout connect 2s
                  timeout client 5s
                  timeout server 5s
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend be
                backend be
                  server s 127.0.0.1:%d
                """.formatted(port, server);
    }

    /** What the client sees: the status, the framing and the body (of a 200; an error page differs). */
    private static String seen(InetSocketAddress front) {
        try (RawHttp client = RawHttp.to(front)) {
            client.setTimeout(5_000);
            RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            if (response.status() != 200) {
                return String.valueOf(response.status());
            }
            return response.status() + " length=" + response.header("content-length") + " coding="
                    + response.header("transfer-encoding") + " x-a=" + response.header("x-a") + " body=" + response.text()
                    + " trailers=" + response.trailers().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(Case c) throws IOException {
        Path dir = Files.createTempDirectory("sluice-rsp-");
        Path cfg = dir.resolve("haproxy.cfg");
        try (ScriptedServer theirs = new ScriptedServer(c.reply()); ScriptedServer ours = new ScriptedServer(c.reply())) {
            if (c.closes()) {
                theirs.closeAfterReply();
                ours.closeAfterReply();
            }
            int theirPort = Ports.free();
            Files.writeString(cfg, config(theirPort, theirs.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(Ports.free(), ours.address().getPort()), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                String expected = seen(new InetSocketAddress("127.0.0.1", theirPort));
                String actual = seen((InetSocketAddress) balancer.boundAddresses().getFirst());
                assertEquals(c.deliberate() == null ? expected : c.deliberate(), actual,
                        c.name() + " (haproxy: " + expected + ")");
            }
        } finally {
            Files.deleteIfExists(cfg);
            Files.deleteIfExists(dir);
        }
    }
}
