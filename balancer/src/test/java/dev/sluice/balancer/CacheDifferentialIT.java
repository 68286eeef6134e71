package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * HAProxy 2.6's cache ({@code cache} sections, {@code http-request cache-use},
 * {@code http-response cache-store}) side by side with ours, each in front of its own counting
 * server: the same sequence of requests must show the client the same statuses, bodies, validators
 * and {@code Age} presence, and must reach the server the same number of times ({@code x-count}).
 * A frontend's hit skips the backend's request rules ({@code deny}) and keeps the headers the
 * response rules set before {@code cache-store}; the frontend's later response rules and
 * {@code http-after-response} run on it. {@code show cache} lists the same caches.
 */
class CacheDifferentialIT {

    /** A real HTTP/1.1 server on loopback that counts requests per URI and answers by its path. */
    private static final class CountingServer implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        CountingServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", this::answer);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String uri = exchange.getRequestURI().toString();
                int count = counts.computeIfAbsent(exchange.getRequestMethod() + " " + uri,
                        k -> new AtomicInteger()).incrementAndGet();
                String path = exchange.getRequestURI().getPath();
                var headers = exchange.getResponseHeaders();
                headers.add("X-Count", Integer.toString(count));
                switch (path) {
                    case "/nostore" -> headers.add("Cache-Control", "no-store");
                    case "/private" -> headers.add("Cache-Control", "private, max-age=100");
                    case "/noexp" -> {
                        // neither a lifetime nor a validator
                    }
                    case "/etag" -> headers.add("ETag", "\"abc\"");
                    case "/lm" -> headers.add("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
                    case "/vary" -> {
                        headers.add("Cache-Control", "max-age=100");
                        headers.add("Vary", "Accept-Encoding");
                    }
                    case "/pv-gz", "/pv-gz2" -> {
                        headers.add("Cache-Control", "max-age=100");
                        headers.add("Vary", "Accept-Encoding");
                        String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
                        if (accepted != null && accepted.contains("gzip")) {
                            headers.add("Content-Encoding", "gzip"); // a label only: the client does not decode
                        }
                    }
                    case "/pv-ref" -> {
                        headers.add("Cache-Control", "max-age=100");
                        headers.add("Vary", "Referer");
                    }
                    case "/pv-both" -> {
                        headers.add("Cache-Control", "max-age=100");
                        headers.add("Vary", "Accept-Encoding");
                        headers.add("Vary", "Referer");
                    }
                    case "/cookie" -> {
                        headers.add("Cache-Control", "max-age=100");
                        headers.add("Set-Cookie", "a=b");
                    }
                    default -> headers.add("Cache-Control", "max-age=100");
                }
                byte[] body = path.equals("/big") ? "x".repeat(5000).getBytes(StandardCharsets.US_ASCII)
                        : ("body of " + uri + " #" + count + "\n").getBytes(StandardCharsets.US_ASCII);
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(200, head ? -1 : body.length);
                if (!head) {
                    exchange.getResponseBody().write(body);
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * Two frontends, one cache each: haproxy 2.6 declares one implicit cache filter per proxy, so a
     * proxy naming two caches without explicit {@code filter cache} lines stores into neither reliably.
     */
    private static String config(Path socket, int port, int shortPort, int varyPort, int server) {
        return """
                global
                  stats socket %s level admin
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                cache long
                  total-max-size 1
                  max-object-size 2000
                  max-age 60
                cache short
                  total-max-size 1
                  max-age 1
                cache varying
                  total-max-size 1
                  process-vary on
                  max-secondary-entries 2
                frontend fe
                  bind 127.0.0.1:%d
                  http-request cache-use long unless { path_beg /uncached }
                  http-response cache-store long
                  http-response set-header X-Fe 1
                  http-after-response set-header X-After 1
                  default_backend be
                frontend fs
                  bind 127.0.0.1:%d
                  http-request cache-use short
                  http-response cache-store short
                  default_backend be
                frontend fv
                  bind 127.0.0.1:%d
                  http-request cache-use varying
                  http-response cache-store varying
                  default_backend be
                backend be
                  http-request deny if { req.hdr(x-deny) -m found }
                  http-response set-header X-Be 1
                  server s1 127.0.0.1:%d
                """.formatted(socket, port, shortPort, varyPort, server);
    }

    private static String get(String uri, String headers) {
        return "GET " + uri + " HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n";
    }

    private static String get(String uri) {
        return get(uri, "");
    }

    private static String head(String uri) {
        return "HEAD " + uri + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    /** The requests, in order; null stands for a pause longer than the short cache's max-age. */
    private static final List<String> SCRIPT = java.util.Arrays.asList(
            get("/plain"), get("/plain"), head("/plain"), get("/plain", "X-Deny: 1\r\n"),
            head("/head-first"), get("/head-first"),
            "POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx",
            "POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx",
            get("/post"), get("/post"),
            "POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx",
            get("/nostore"), get("/nostore"), get("/private"), get("/private"),
            get("/big"), get("/big"), get("/vary"), get("/vary"), get("/noexp"), get("/noexp"),
            get("/etag"), get("/etag"), get("/etag", "If-None-Match: \"abc\"\r\n"),
            get("/etag", "If-None-Match: \"other\"\r\n"),
            get("/lm"), get("/lm", "If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT\r\n"),
            get("/auth", "Authorization: Basic eDp5\r\n"), get("/auth", "Authorization: Basic eDp5\r\n"), get("/auth"),
            get("/nocache"), get("/nocache", "Cache-Control: no-cache\r\n"), get("/nocache"),
            "GET /http10 HTTP/1.0\r\nHost: x\r\n\r\n", "GET /http10 HTTP/1.0\r\nHost: x\r\n\r\n",
            get("/q?a"), get("/q?b"), get("/q?a"),
            "GET /host HTTP/1.1\r\nHost: one\r\nConnection: close\r\n\r\n",
            "GET /host HTTP/1.1\r\nHost: two\r\nConnection: close\r\n\r\n",
            "GET /host HTTP/1.1\r\nHost: one\r\nConnection: close\r\n\r\n",
            get("/cookie"), get("/cookie"),
            get("/uncached"), get("/uncached"), get("/uncached", "X-Deny: 1\r\n"),
            get("/pv-gz", "Accept-Encoding: gzip\r\n"), get("/pv-gz", "Accept-Encoding: gzip\r\n"),
            get("/pv-gz", "Accept-Encoding: br\r\n"), get("/pv-gz"), get("/pv-gz", "Accept-Encoding: br, gzip\r\n"),
            get("/pv-gz", "Accept-Encoding: deflate\r\n"), get("/pv-gz", "Accept-Encoding: gzip\r\n"),
            get("/pv-gz2"), get("/pv-gz2", "Accept-Encoding: gzip\r\n"),
            get("/pv-gz2", "Accept-Encoding: identity;q=0, gzip\r\n"),
            get("/pv-ref", "Referer: a\r\n"), get("/pv-ref", "Referer: a\r\n"), get("/pv-ref", "Referer: b\r\n"),
            get("/pv-ref", "Referer: b\r\n"), get("/pv-ref"), get("/pv-ref"), get("/pv-ref", "Referer: c\r\n"),
            get("/pv-ref", "Referer: a\r\n"),
            get("/pv-both", "Referer: a\r\n"), get("/pv-both", "Referer: a\r\n"), get("/pv-both", "Referer: b\r\n"),
            get("/pv-both", "Referer: b\r\n"), get("/pv-both"), get("/pv-both"), get("/pv-both", "Referer: c\r\n"),
            get("/pv-both", "Referer: a\r\n"),
            get("/short"), get("/short"), null, get("/short"));

    /** What the client sees of each request of the script. */
    private static List<String> observe(InetSocketAddress front, InetSocketAddress shortFront,
                                        InetSocketAddress varyFront) {
        List<String> seen = new ArrayList<>();
        for (String request : SCRIPT) {
            if (request == null) {
                pause();
                continue;
            }
            InetSocketAddress target = request.startsWith("GET /short") ? shortFront
                    : request.startsWith("GET /pv-") ? varyFront : front;
            try (RawHttp client = RawHttp.to(target)) {
                RawHttp.Response response = client.send(request).read(request.startsWith("HEAD"));
                String line = request.substring(0, request.indexOf("\r\n")) + varied(request);
                seen.add(line + " -> " + response.status() + " count=" + response.header("x-count")
                        + " age=" + (response.header("age") != null) + " etag=" + response.header("etag")
                        + " ce=" + response.header("content-encoding") + " rules=" + response.header("x-be") + "/"
                        + response.header("x-fe") + "/" + response.header("x-after")
                        + " set-cookie=" + response.header("set-cookie") + " length=" + response.body().length
                        + " body=" + (response.body().length > 100 ? "big"
                        : new String(response.body(), StandardCharsets.US_ASCII).trim()));
            }
        }
        return seen;
    }

    /** The request headers a /pv- request varies by, for the report. */
    private static String varied(String request) {
        StringBuilder text = new StringBuilder();
        for (String line : request.split("\r\n")) {
            if (line.startsWith("Accept-Encoding:") || line.startsWith("Referer:")) {
                text.append(" [").append(line).append(']');
            }
        }
        return text.toString();
    }

    /**
     * {@code show cache} reduced to what both print alike: each cache with its available blocks, and
     * object lines of the same layout. Addresses, hashes and sizes are each one's own; how many objects
     * each lists is not compared (haproxy 2.6 lists fewer than it serves: see CacheCommands).
     */
    private static List<String> showCache(Path socket) {
        ExternalProcess.Result result = ExternalProcess.run("socat", List.of("bash", "-c",
                "echo 'show cache' | socat -t 5 stdio UNIX-CONNECT:" + socket), Duration.ofSeconds(10));
        result.assertExit(0);
        List<String> seen = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (line.contains("(shctx:")) {
                seen.add(line.substring(line.indexOf(": ") + 2, line.indexOf(" (shctx:"))
                        + line.substring(line.indexOf(", available")));
            } else if (line.contains(" hash:")) {
                assertTrue(line.matches("0x[0-9a-f]+ hash:\\d+ vary:0x[0-9a-f]{16} size:\\d+ \\(1 blocks\\), "
                        + "refcount:0, expire:\\d+"), line);
            }
        }
        return seen;
    }

    private static void pause() {
        try {
            Thread.sleep(2_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sameAsHaproxy() throws IOException {
        Path dir = Files.createTempDirectory("sluice-cache-");
        try (CountingServer theirs = new CountingServer(); CountingServer ours = new CountingServer()) {
            int theirPort = Ports.free();
            int theirShortPort = Ports.free();
            int ourShortPort = Ports.free();
            int theirVaryPort = Ports.free();
            int ourVaryPort = Ports.free();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(dir.resolve("theirs.sock"), theirPort, theirShortPort, theirVaryPort, theirs.port()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(dir.resolve("ours.sock"), Ports.free(), ourShortPort, ourVaryPort,
                    ours.port()), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.render());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirVaryPort, Duration.ofSeconds(10));
                List<String> expected = observe(new InetSocketAddress("127.0.0.1", theirPort),
                        new InetSocketAddress("127.0.0.1", theirShortPort), new InetSocketAddress("127.0.0.1", theirVaryPort));
                List<String> actual = observe((InetSocketAddress) balancer.boundAddresses().getFirst(),
                        new InetSocketAddress("127.0.0.1", ourShortPort), new InetSocketAddress("127.0.0.1", ourVaryPort));
                assertTrue(expected.getFirst().contains("count=1") && expected.get(1).contains("count=1 age=true"),
                        "haproxy served the second GET from its cache: " + expected);
                assertEquals(String.join("\n", expected), String.join("\n", actual));
                assertEquals(showCache(dir.resolve("theirs.sock")), showCache(dir.resolve("ours.sock")), "show cache");
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.deleteIfExists(dir.resolve("theirs.sock"));
            Files.deleteIfExists(dir.resolve("ours.sock"));
            Files.deleteIfExists(dir);
        }
    }
}
