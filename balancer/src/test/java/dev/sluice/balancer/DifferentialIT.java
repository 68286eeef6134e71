package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same requests through Debian's haproxy 2.6 and through our engine, with equivalent
 * configurations and identical recording servers: the clients must get the same status and the
 * servers the same request heads (header names compared case-insensitively, since HAProxy sends
 * them in lower case). Known, deliberate differences are listed in {@link #cases()}.
 */
class DifferentialIT {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /**
     * @param deliberate how our result differs from HAProxy 2.6's on purpose (identity if not):
     *                   we refuse what the issue says must be refused where HAProxy tolerates it
     *                   (CL with TE, obs-fold), and also NUL in values, bare LF line ends and
     *                   Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1: faulty framing)
     *                   (strict parsing: never guess); too long a URI gets 414 and too large a
     *                   header block 431 where HAProxy says 400; and we drop the headers a Connection header names
     *                   (RFC 9110 §7.6.1), which HAProxy 2.6 forwards
     */
    record Case(String name, String request, UnaryOperator<List<String>> deliberate) {
        Case(String name, String request) {
            this(name, request, UnaryOperator.identity());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final UnaryOperator<List<String>> REFUSED = haproxy -> List.of("status 400");

    static Stream<Case> cases() {
        return Stream.of(
                new Case("plain get", "GET /a?b=c HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n"),
                new Case("existing xff", "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.1\r\n\r\n"),
                new Case("connection-named header", "GET / HTTP/1.1\r\nHost: x\r\nConnection: X-Drop\r\nX-Drop: 1\r\nX-Keep: 2\r\n\r\n",
                        haproxy -> haproxy.stream().filter(l -> !l.startsWith("connection:") && !l.startsWith("x-drop:")).toList()),
                new Case("post with length", "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"),
                new Case("chunked post", "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
                new Case("length and chunked", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        REFUSED),
                new Case("two lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
                new Case("bad length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3z\r\n\r\nabc"),
                new Case("space in name", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n"),
                new Case("space before colon", "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n"),
                new Case("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n", REFUSED),
                new Case("http/1.0", "GET /old HTTP/1.0\r\n\r\n"),
                new Case("http/1.0 keep-alive", "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
                new Case("head", "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("uri of 10 kB", "GET /" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("uri of 17 kB", "GET /" + "u".repeat(17_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                        haproxy -> List.of("status 414")),
                new Case("headers of 17 kB", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(17_000) + "\r\n\r\n",
                        haproxy -> List.of("status 431")),
                new Case("nul in value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n", REFUSED),
                new Case("no host in 1.1", "GET / HTTP/1.1\r\nUser-Agent: t\r\n\r\n"),
                new Case("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                new Case("absolute uri", "GET http://x/abs?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("te gzip chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
                new Case("length with leading zeros", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 003\r\n\r\nabc"),
                new Case("negative length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
                new Case("chunked in http/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        REFUSED),
                new Case("lower-case method", "get / HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("http/2.0 version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
                new Case("empty header name", "GET / HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n"),
                new Case("space in uri", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Case("99 headers", "GET / HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(98) + "\r\n"),
                new Case("100 headers", "GET / HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(99) + "\r\n"),
                new Case("101 headers", "GET / HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(100) + "\r\n"),
                new Case("102 headers", "GET / HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(101) + "\r\n"),
                new Case("120 headers", "GET / HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(120) + "\r\n"),
                new Case("bare lf", "GET / HTTP/1.1\nHost: x\n\n", REFUSED));
    }

    private static List<String> observe(InetSocketAddress front, ScriptedServer server, String request) {
        List<String> seen = new ArrayList<>();
        try (Socket socket = new Socket(front.getAddress(), front.getPort())) {
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            seen.add("status " + status(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String head : server.heads()) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                seen.add(colon < 0 || line.startsWith("GET") || line.startsWith("POST")
                        ? line : line.substring(0, colon).toLowerCase(Locale.ROOT) + ":" + line.substring(colon + 1));
            }
        }
        server.heads().clear();
        return seen;
    }

    private static String status(InputStream in) throws IOException {
        byte[] line = new byte[12];
        try {
            int n = in.readNBytes(line, 0, 12);
            return n < 12 ? "none" : new String(line, 9, 3, StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            return "none";
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(Case c) throws IOException {
        Path dir = Files.createTempDirectory("sluice-diff-");
        int port = Ports.free();
        try (ScriptedServer theirs = new ScriptedServer(OK); ScriptedServer ours = new ScriptedServer(OK)) {
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, """
                    global
                      nbthread 1
                      maxconn 1000
                    defaults
                      mode http
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                      option forwardfor
                    frontend fe
                      bind 127.0.0.1:%d
                      default_backend be
                    backend be
                      server s %s:%d
                    """.formatted(port, "127.0.0.1", theirs.address().getPort()));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Plans.http().server("s", ours.address()).build())) {
                haproxy.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
                List<String> expected = observe(new InetSocketAddress("127.0.0.1", port), theirs, c.request());
                List<String> actual = observe((InetSocketAddress) balancer.boundAddresses().getFirst(), ours, c.request());
                assertEquals(c.deliberate().apply(expected), actual, c.name() + " (haproxy: " + expected + ")");
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** @param deliberate our answer where it differs on purpose, or null for "same as HAProxy" */
    record Reply(String name, String raw, String deliberate) {
        Reply(String name, String raw) {
            this(name, raw, null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Reply> replies() {
        return Stream.of(
                new Reply("length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello"),
                new Reply("chunked with trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"),
                // HAProxy lets chunked win; we take an ambiguous response as invalid (RFC 9112 §6.3 allows both).
                new Reply("length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        "502 (error page)"),
                new Reply("two lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                new Reply("no reason", "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n"),
                new Reply("interim then final", "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
                new Reply("no content", "HTTP/1.1 204 No Content\r\n\r\n"),
                new Reply("garbage", "HELLO\r\n\r\n"));
    }

    private static String answer(InetSocketAddress front) {
        try (dev.sluice.balancer.support.RawHttp client = dev.sluice.balancer.support.RawHttp.to(front)) {
            client.setTimeout(3_000);
            client.send("GET /r HTTP/1.1\r\nHost: x\r\n\r\n");
            StringBuilder seen = new StringBuilder();
            dev.sluice.balancer.support.RawHttp.Response response = client.read();
            while (response.status() / 100 == 1) {
                seen.append(response.status()).append(' ');
                response = client.read();
            }
            if (response.status() >= 500) {
                // The two error pages differ in wording only.
                return seen.append(response.status()).append(" (error page)").toString();
            }
            seen.append(response.status()).append(' ').append(response.text()).append(' ')
                    .append(response.trailers().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
            for (var header : response.headers()) {
                if (!header.getKey().equals("connection") && !header.getKey().equals("content-length")
                        && !header.getKey().equals("transfer-encoding") && !header.getKey().equals("content-type")
                        && !header.getKey().equals("cache-control")) {
                    seen.append(' ').append(header.getKey()).append('=').append(header.getValue());
                }
            }
            return seen.toString();
        } catch (RuntimeException e) {
            return "no response";
        }
    }

    /** Clients must get the same answer from both for the same server reply (framing aside). */
    @ParameterizedTest
    @MethodSource("replies")
    void sameResponseAsHaproxy(Reply reply) throws IOException {
        Path dir = Files.createTempDirectory("sluice-diff-");
        int port = Ports.free();
        try (ScriptedServer theirs = new ScriptedServer(reply.raw()); ScriptedServer ours = new ScriptedServer(reply.raw())) {
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, """
                    defaults
                      mode http
                      timeout connect 2s
                      timeout client 10s
                      timeout server 2s
                    frontend fe
                      bind 127.0.0.1:%d
                      default_backend be
                    backend be
                      server s 127.0.0.1:%d
                    """.formatted(port, theirs.address().getPort()));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Plans.http().server("s", ours.address())
                         .backTimeouts(Plans.TIMEOUTS.withServer(Duration.ofSeconds(2))).build())) {
                haproxy.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
                String expected = answer(new InetSocketAddress("127.0.0.1", port));
                String actual = answer((InetSocketAddress) balancer.boundAddresses().getFirst());
                assertEquals(reply.deliberate() == null ? expected : reply.deliberate(), actual,
                        reply.name() + " (haproxy: " + expected + ")");
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The PROXY source, v4 and v6, becomes the same X-Forwarded-For text as HAProxy writes. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "PROXY TCP4 203.0.113.9 127.0.0.1 4000 80\r\n",
            "PROXY TCP6 2001:0db8:0000:0000:0000:0000:0000:0005 ::1 4000 80\r\n",
            "PROXY TCP6 ::ffff:198.51.100.4 ::1 4000 80\r\n",
            "PROXY UNKNOWN\r\n"})
    void proxySourceForwardedAsHaproxyDoes(String header) throws IOException {
        Path dir = Files.createTempDirectory("sluice-diff-");
        int port = Ports.free();
        try (ScriptedServer theirs = new ScriptedServer(OK); ScriptedServer ours = new ScriptedServer(OK)) {
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, """
                    defaults
                      mode http
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                      option forwardfor
                    frontend fe
                      bind 127.0.0.1:%d accept-proxy
                      default_backend be
                    backend be
                      server s 127.0.0.1:%d
                    """.formatted(port, theirs.address().getPort()));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Plans.http().acceptProxy().server("s", ours.address()).build())) {
                haproxy.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
                String request = header + "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
                List<String> expected = observe(new InetSocketAddress("127.0.0.1", port), theirs, request);
                List<String> actual = observe((InetSocketAddress) balancer.boundAddresses().getFirst(), ours, request);
                assertEquals(expected, actual, header);
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
