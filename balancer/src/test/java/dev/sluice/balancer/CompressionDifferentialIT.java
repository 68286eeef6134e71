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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code compression algo|type|offload} through Debian's haproxy 2.6 and through ours, each in
 * front of an identical scripted server: for every rule of when HAProxy compresses and how it
 * rewrites the head, the client must see the same status and headers (names lower-cased and sorted,
 * without Date and Connection), a body that decompresses to the server's, and the server the same
 * {@code Accept-Encoding}. Compressed bytes themselves differ (HAProxy uses libslz, we use zlib).
 */
class CompressionDifferentialIT {
    private static final String BODY = page();
    private static final String TEXT = "text/html";
    private static final String GZIP = "Accept-Encoding: gzip\r\n";
    private static final String TYPES = "compression algo gzip deflate\n  compression type text/html text/plain";

    record Case(String name, String compression, String request, String reply) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String page() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 6_000; i++) {
            text.append("<p class=\"row\">line ").append(i).append(" of a page to compress</p>\n");
        }
        return text.toString();
    }

    private static String get(String headers) {
        return "GET /page HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n";
    }

    /** A reply with Content-Length, {@code extra} header lines and the page. */
    private static String reply(String status, String extra) {
        return "HTTP/1.1 " + status + "\r\nContent-Type: " + TEXT + "\r\n" + extra + "Content-Length: "
                + BODY.length() + "\r\n\r\n" + BODY;
    }

    private static String reply(String extra) {
        return reply("200 OK", extra);
    }

    private static String chunked(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                + (body.isEmpty() ? "" : Integer.toHexString(body.length()) + "\r\n" + body + "\r\n") + "0\r\n\r\n";
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("gzip with a Content-Length", TYPES, get(GZIP), reply("")),
                new Case("no Accept-Encoding", TYPES, get(""), reply("")),
                new Case("HTTP/1.0 request", TYPES, "GET /page HTTP/1.0\r\n" + GZIP + "\r\n", reply("")),
                new Case("q=0 refuses the only algorithm", TYPES, get("Accept-Encoding: gzip;q=0\r\n"), reply("")),
                new Case("* takes the last algorithm written", TYPES, get("Accept-Encoding: *\r\n"), reply("")),
                new Case("the higher q-value wins", TYPES, get("Accept-Encoding: deflate;q=0.5, gzip;q=0.8\r\n"),
                        reply("")),
                new Case("equal q-values: the first listed", TYPES, get("Accept-Encoding: deflate, gzip\r\n"),
                        reply("")),
                new Case("unknown coding only", TYPES, get("Accept-Encoding: br\r\n"), reply("")),
                new Case("already encoded", TYPES, get(GZIP), reply("Content-Encoding: br\r\n")),
                new Case("201 is compressed", TYPES, get(GZIP), reply("201 Created", "")),
                new Case("203 is compressed", TYPES, get(GZIP), reply("203 Non-Authoritative Information", "")),
                new Case("206 is not", TYPES, get(GZIP), reply("206 Partial Content", "")),
                new Case("404 is not", TYPES, get(GZIP), reply("404 Not Found", "")),
                new Case("HEAD", TYPES, "HEAD /page HTTP/1.1\r\nHost: x\r\n" + GZIP + "Connection: close\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n"),
                new Case("204", TYPES, get(GZIP), "HTTP/1.1 204 No Content\r\nContent-Type: text/html\r\n\r\n"),
                new Case("empty Content-Length body", TYPES, get(GZIP),
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n"),
                new Case("empty chunked body", TYPES, get(GZIP), chunked("")),
                new Case("chunked body", TYPES, get(GZIP), chunked(BODY)),
                new Case("Cache-Control: no-transform", TYPES, get(GZIP),
                        reply("Cache-Control: public, No-Transform\r\n")),
                new Case("type not listed", TYPES, get(GZIP),
                        reply("200 OK", "").replace("Content-Type: text/html", "Content-Type: application/json")),
                new Case("type prefix, any case", TYPES, get(GZIP),
                        reply("").replace("Content-Type: text/html", "Content-Type: TEXT/HTML; charset=utf-8")),
                new Case("no Content-Type with a type list", TYPES, get(GZIP),
                        reply("").replace("Content-Type: text/html\r\n", "")),
                new Case("multipart without a type list", "compression algo gzip", get(GZIP),
                        reply("").replace("Content-Type: text/html", "Content-Type: multipart/mixed; boundary=x")),
                new Case("strong ETag made weak", TYPES, get(GZIP), reply("ETag: \"v1\"\r\n")),
                new Case("malformed ETag", TYPES, get(GZIP), reply("ETag: v1\r\n")),
                new Case("two ETags", TYPES, get(GZIP), reply("ETag: \"a\"\r\nETag: \"b\"\r\n")),
                new Case("Vary kept and added", TYPES, get(GZIP), reply("Vary: Accept-Encoding, Cookie\r\n")),
                new Case("HTTP/1.0 server", TYPES, get(GZIP), reply("").replace("HTTP/1.1 200", "HTTP/1.0 200")),
                new Case("old browser", TYPES, get(GZIP + "User-Agent: Mozilla/4.0 (compatible; MSIE 6.0)\r\n"),
                        reply("")),
                new Case("offload removes Accept-Encoding", "compression algo gzip\n  compression offload",
                        get("Accept-Encoding: gzip, br\r\n"), reply("")),
                new Case("offload keeps what it cannot serve", "compression algo gzip\n  compression offload",
                        get("Accept-Encoding: br\r\n"), reply("")),
                new Case("identity when nothing else is accepted", "compression algo deflate identity",
                        get("Accept-Encoding: br\r\n"), reply("ETag: \"v2\"\r\n")),
                new Case("raw-deflate is sent as deflate", "compression algo raw-deflate",
                        get("Accept-Encoding: deflate\r\n"), reply("")));
    }

    private static String config(Case c, int port, int server) {
        return """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  %s
                  default_backend be
                backend be
                  server s1 127.0.0.1:%d
                """.formatted(port, c.compression(), server);
    }

    /** What a client and the server see of one exchange. */
    private static List<String> observe(Case c, InetSocketAddress front, ScriptedServer server) {
        List<String> seen = new ArrayList<>();
        try (RawHttp client = RawHttp.to(front)) {
            RawHttp.Response response = client.send(c.request()).read(c.request().startsWith("HEAD"));
            seen.add("status " + response.status());
            List<String> headers = new ArrayList<>();
            for (Map.Entry<String, String> header : response.headers()) {
                if (!header.getKey().equals("date") && !header.getKey().equals("connection")) {
                    headers.add(header.getKey() + ": " + header.getValue());
                }
            }
            headers.sort(null);
            seen.addAll(headers);
            seen.add("body " + decoded(response, c));
        }
        for (String head : server.heads()) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("accept-encoding:")) {
                    // HAProxy sends header names in lower case; names are case-insensitive.
                    seen.add("server got accept-encoding:" + line.substring("accept-encoding:".length()));
                }
            }
        }
        return seen;
    }

    /** The body as the client reads it once decoded, summed up: "the page" when it is the server's. */
    private static String decoded(RawHttp.Response response, Case c) {
        String text = decodedText(response, c);
        return text.equals(BODY) ? "the page" : text.length() > 200 ? text.length() + " other bytes" : "'" + text + "'";
    }

    private static String decodedText(RawHttp.Response response, Case c) {
        String coding = response.header("content-encoding");
        byte[] body = response.body();
        try {
            if ("gzip".equals(coding)) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            } else if ("deflate".equals(coding)) {
                boolean raw = c.compression().contains("raw-deflate");
                try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(body),
                        new java.util.zip.Inflater(raw))) {
                    body = in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(Case c) throws IOException {
        Path dir = Files.createTempDirectory("sluice-comp-");
        try (ScriptedServer theirs = new ScriptedServer(c.reply()); ScriptedServer ours = new ScriptedServer(c.reply())) {
            int theirPort = Ports.free();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(c, theirPort, theirs.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(c, Ports.free(), ours.address().getPort()), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                List<String> expected = observe(c, new InetSocketAddress("127.0.0.1", theirPort), theirs);
                List<String> actual = observe(c, (InetSocketAddress) balancer.boundAddresses().getFirst(), ours);
                assertEquals(expected, actual, c.name());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.deleteIfExists(dir);
        }
    }

    /**
     * curl's own decoder reads our responses, over HTTP/1.1 and over HTTP/2 (the exchange is shared),
     * and sees the same head as from haproxy 2.6 with the same frontends.
     */
    @Test
    void curlSeesTheSameOverHttp1AndHttp2() throws IOException {
        Path dir = Files.createTempDirectory("sluice-comp-curl-");
        String text = """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  bind 127.0.0.1:%d proto h2
                  compression algo gzip
                  default_backend be
                backend be
                  server s1 127.0.0.1:%d
                """;
        try (ScriptedServer theirs = new ScriptedServer(reply("")); ScriptedServer ours = new ScriptedServer(reply(""))) {
            int[] their = {Ports.free(), Ports.free()};
            int[] our = {Ports.free(), Ports.free()};
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, text.formatted(their[0], their[1], theirs.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", text.formatted(our[0], our[1], ours.address().getPort()),
                    Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", their[1], Duration.ofSeconds(10));
                for (int i = 0; i < 2; i++) {
                    List<String> seen = curl(our[i], i == 1);
                    assertTrue(seen.contains("content-encoding: gzip") && seen.contains("body the page"), seen.toString());
                    assertEquals(curl(their[i], i == 1), seen, i == 1 ? "HTTP/2" : "HTTP/1.1");
                }
            }
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.deleteIfExists(dir);
        }
    }

    /** What {@code curl --compressed} shows: status line, sorted headers (no Date), the decoded body. */
    private static List<String> curl(int port, boolean http2) {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-D", "-", "--compressed", "--max-time", "10"));
        if (http2) {
            command.add("--http2-prior-knowledge");
        }
        command.add("http://127.0.0.1:" + port + "/page");
        String out = ExternalProcess.run("curl", command, Duration.ofSeconds(15)).assertExit(0).output();
        int end = out.indexOf("\r\n\r\n");
        String[] lines = out.substring(0, end).split("\r\n");
        List<String> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].toLowerCase(Locale.ROOT);
            if (!line.startsWith("date:") && !line.startsWith("connection:")) {
                headers.add(line);
            }
        }
        headers.sort(null);
        List<String> seen = new ArrayList<>();
        seen.add(lines[0].trim());
        seen.addAll(headers);
        String body = out.substring(end + 4);
        seen.add(body.equals(BODY) ? "body the page" : "body of " + body.length() + " other bytes");
        return seen;
    }

    /** HAProxy compresses its stats page (an applet's answer) like a server's; so do we. */
    @Test
    void theStatsPageIsCompressedLikeAServersAnswer() throws IOException {
        Path dir = Files.createTempDirectory("sluice-comp-page-");
        String text = """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend st
                  bind 127.0.0.1:%d
                  compression algo gzip
                  stats enable
                  stats uri /stats
                """;
        int theirPort = Ports.free();
        int ourPort = Ports.free();
        try {
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, text.formatted(theirPort));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", text.formatted(ourPort), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                for (String coding : List.of("gzip", "br")) {
                    assertEquals(statsPage(theirPort, coding), statsPage(ourPort, coding), coding);
                }
            }
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.deleteIfExists(dir);
        }
    }

    /** The stats CSV's head (sorted, without Date, Connection and its length) and its decoded first line's start. */
    private static List<String> statsPage(int port, String coding) {
        try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
            RawHttp.Response response = client.send("GET /stats;csv HTTP/1.1\r\nHost: x\r\nAccept-Encoding: " + coding
                    + "\r\nConnection: close\r\n\r\n").read();
            List<String> seen = new ArrayList<>();
            for (Map.Entry<String, String> header : response.headers()) {
                if (!List.of("date", "connection", "content-length", "transfer-encoding").contains(header.getKey())) {
                    seen.add(header.getKey() + ": " + header.getValue());
                }
            }
            seen.sort(null);
            String body = decodedText(response, new Case("stats", "", "", ""));
            seen.add("body starts " + body.substring(0, Math.min(body.length(), 12)));
            return seen;
        }
    }

    /** One kept-alive connection: each response is judged and compressed on its own, deflaters reused. */
    @Test
    void eachResponseOfAKeptAliveConnectionIsCompressedOnItsOwn() {
        Case c = new Case("keep-alive", TYPES, "", reply(""));
        try (ScriptedServer server = new ScriptedServer(reply(""))) {
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(c, Ports.free(), server.address().getPort()),
                    Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan());
                 RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
                List<String> seen = new ArrayList<>();
                for (String coding : List.of("gzip", "", "deflate", "gzip", "br")) {
                    String accept = coding.isEmpty() ? "" : "Accept-Encoding: " + coding + "\r\n";
                    RawHttp.Response response = client.send("GET /page HTTP/1.1\r\nHost: x\r\n" + accept + "\r\n")
                            .read();
                    seen.add(response.header("content-encoding") + " " + decoded(response, c));
                }
                assertEquals(List.of("gzip the page", "null the page", "deflate the page", "gzip the page",
                        "null the page"), seen);
                assertEquals(1, server.connections());
            }
        }
    }

    /** comp_in, comp_byp and comp_rsp as HAProxy counts them; comp_out only where something was compressed. */
    @Test
    void statsCountWhatWasCompressedAsHaproxyDoes() throws IOException {
        Path dir = Files.createTempDirectory("sluice-comp-stats-");
        try (ScriptedServer theirs = new ScriptedServer(reply("")); ScriptedServer ours = new ScriptedServer(reply(""))) {
            int theirPort = Ports.free();
            int theirStats = Ports.free();
            int ourPort = Ports.free();
            int ourStats = Ports.free();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, statsConfig(theirPort, theirStats, theirs.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", statsConfig(ourPort, ourStats, ours.address().getPort()),
                    Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirStats, Duration.ofSeconds(10));
                List<String> expected = countAfterRequests(theirPort, theirStats);
                List<String> actual = countAfterRequests(ourPort, ourStats);
                assertEquals(expected, actual);
                assertTrue(actual.contains("fe/FRONTEND comp_in=6040") && actual.contains("be/BACKEND comp_rsp=2"),
                        actual.toString());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.deleteIfExists(dir);
        }
    }

    private static String statsConfig(int port, int statsPort, int server) {
        return """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  compression algo deflate identity
                  compression type text/html
                  default_backend be
                backend be
                  server s1 127.0.0.1:%d
                frontend st
                  bind 127.0.0.1:%d
                  stats enable
                  stats uri /stats
                """.formatted(port, server, statsPort);
    }

    /** A deflated response, an identity one and an uncompressed HTTP/1.0 one, then the counters. */
    private static List<String> countAfterRequests(int port, int statsPort) {
        InetSocketAddress front = new InetSocketAddress("127.0.0.1", port);
        for (String request : List.of(get("Accept-Encoding: deflate\r\n"), get("Accept-Encoding: br\r\n"),
                "GET /page HTTP/1.0\r\nAccept-Encoding: deflate\r\n\r\n")) {
            try (RawHttp client = RawHttp.to(front)) {
                assertEquals(200, client.send(request).read().status());
            }
        }
        String csv;
        try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", statsPort))) {
            csv = client.send("GET /stats;csv HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().text();
        }
        String[] lines = csv.split("\n");
        List<String> columns = List.of(lines[0].substring(2).split(","));
        List<String> seen = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            String row = fields[0] + "/" + fields[1];
            if (!row.equals("fe/FRONTEND") && !row.equals("be/BACKEND")) {
                continue;
            }
            for (String name : List.of("comp_in", "comp_byp", "comp_rsp")) {
                seen.add(row + " " + name + "=" + fields[columns.indexOf(name)]);
            }
            seen.add(row + " comp_out>0=" + (Long.parseLong(fields[columns.indexOf("comp_out")]) > 0));
        }
        return seen;
    }
}
