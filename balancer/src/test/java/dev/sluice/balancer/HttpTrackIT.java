package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code http-request track-scN} rate limits with a real balancer, side by side with Debian's
 * haproxy 2.6: the same configuration text runs in both, the same requests are sent to each (raw
 * sockets, client addresses in PROXY v1 headers), and the sequence of statuses must be the same —
 * and the one the HAProxy documentation leads to expect.
 */
class HttpTrackIT {
    private static final String REFUSED = "refused";
    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    /** Bytes of a response head this test reads at most. */
    private static final int MAX_HEAD = 8192;

    /** The requests of one run against a front address; returns what each got. */
    @FunctionalInterface
    interface Scenario {
        List<String> run(InetSocketAddress front) throws Exception;
    }

    private static final String RATE_LIMIT = """
              stick-table type ip size 100k expire 30s store http_req_rate(10s)
              http-request track-sc0 src
              http-request deny deny_status 429 if { sc_http_req_rate(0) gt 10 }
            """;

    @Test
    void theEleventhRequestInTheWindowIsRefusedAndAnotherClientIsNot() throws Exception {
        List<String> outcomes = sideBySide(RATE_LIMIT, OK, front -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                seen.add(attempt(front, proxy("203.0.113.1")));
            }
            seen.add(attempt(front, proxy("203.0.113.2")));
            return seen;
        });
        List<String> expected = new ArrayList<>(Collections.nCopies(10, "200"));
        expected.addAll(List.of("429", "429", "200"));
        assertEquals(expected, outcomes);
    }

    @Test
    void everyRequestOfAKeptAliveConnectionCountsOnce() throws Exception {
        List<String> outcomes = sideBySide(RATE_LIMIT, OK, front -> {
            // Twelve requests on one connection: the deny keeps it open, in both, and the limit holds.
            List<String> seen = keepAlive(front, proxy("203.0.113.1"), 12);
            seen.add(attempt(front, proxy("203.0.113.2")));
            return seen;
        });
        List<String> expected = new ArrayList<>(Collections.nCopies(10, "200"));
        expected.addAll(List.of("429", "429", "200"));
        assertEquals(expected, outcomes);
    }

    @Test
    void aClientMakingErrorsIsRefusedAfterItsThirdError() throws Exception {
        String lines = """
                  stick-table type ip size 100k expire 30s store http_err_rate(10s),http_req_cnt
                  http-request track-sc1 src
                  http-request deny deny_status 429 if { sc1_http_err_rate gt 2 }
                """;
        String notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno";
        List<String> outcomes = sideBySide(lines, notFound, front -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(attempt(front, proxy("203.0.113.1")));
            }
            seen.add(attempt(front, proxy("203.0.113.2")));
            return seen;
        });
        assertEquals(List.of("404", "404", "404", "429", "429", "404"), outcomes);
    }

    @Test
    void gpc0CountsWhatTheRulesMark() throws Exception {
        String lines = """
                  stick-table type ip size 100k expire 30s store gpc0
                  http-request track-sc2 src
                  http-request deny deny_status 403 if { sc2_get_gpc0 ge 2 }
                  http-request sc-inc-gpc0(2) if { path_beg /login }
                """;
        List<String> outcomes = sideBySide(lines, OK, front -> {
            List<String> seen = new ArrayList<>();
            for (String path : List.of("/", "/login", "/", "/login", "/", "/login")) {
                seen.add(path + ":" + attempt(front, proxy("203.0.113.1"), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            }
            return seen;
        });
        assertEquals(List.of("/:200", "/login:200", "/:200", "/login:200", "/:403", "/login:403"), outcomes);
    }

    @Test
    void gpc1AndTheGpt0TagMarkClients() throws Exception {
        String lines = """
                  stick-table type ip size 100k expire 30s store gpc1,gpc1_rate(10s),gpt0
                  http-request track-sc0 src
                  http-request deny deny_status 403 if { sc0_get_gpt0 eq 7 }
                  http-request deny deny_status 429 if { sc0_get_gpc1 ge 2 }
                  http-request sc-inc-gpc1(0) if { path_beg /login }
                  http-request sc-set-gpt0(0) 7 if { path /ban }
                  http-request deny deny_status 410 if { path /rate } { sc0_gpc1_rate eq 1 }
                """;
        List<String> outcomes = sideBySide(lines, OK, front -> {
            List<String> seen = new ArrayList<>();
            for (String[] step : new String[][] {{"203.0.113.1", "/login"}, {"203.0.113.1", "/rate"},
                    {"203.0.113.1", "/login"}, {"203.0.113.1", "/"}, {"203.0.113.2", "/ban"}, {"203.0.113.2", "/"},
                    {"203.0.113.3", "/"}}) {
                seen.add(step[1] + ":" + attempt(front, proxy(step[0]), "GET " + step[1] + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            }
            return seen;
        });
        assertEquals(List.of("/login:200", "/rate:410", "/login:200", "/:429", "/ban:200", "/:403", "/:200"), outcomes);
    }

    @Test
    void serverFailuresCountInHttpFailButA501DoesNot() throws Exception {
        String lines = """
                  stick-table type ip size 100k expire 30s store http_fail_cnt,http_fail_rate(10s),http_err_cnt
                  http-request track-sc0 src
                  http-request deny deny_status 429 if { sc0_http_fail_cnt ge 2 } || { sc0_http_fail_rate ge 2 }
                """;
        String failing = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\nno";
        List<String> failures = sideBySide(lines, failing, front -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(attempt(front, proxy("203.0.113.1")));
            }
            return seen;
        });
        assertEquals(List.of("500", "500", "429"), failures);
        String notImplemented = "HTTP/1.1 501 Not Implemented\r\nContent-Length: 2\r\n\r\nno";
        List<String> ignored = sideBySide(lines, notImplemented, front -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(attempt(front, proxy("203.0.113.1")));
            }
            return seen;
        });
        assertEquals(List.of("501", "501", "501"), ignored);
    }

    /** tcp-request rules update the counters too: gpc0 per connection, gpt0 from a content rule. */
    @Test
    void tcpRequestRulesIncrementAndTag() throws Exception {
        String lines = """
                  stick-table type ip size 100k expire 30s store gpc0,gpt0
                  tcp-request connection track-sc1 src
                  tcp-request connection sc-inc-gpc0(1)
                  tcp-request content sc-set-gpt0(1) 5 if { src 203.0.113.9 }
                  http-request deny deny_status 403 if { sc1_get_gpt0 eq 5 }
                  http-request deny deny_status 429 if { sc1_get_gpc0 gt 3 }
                """;
        List<String> outcomes = sideBySide(lines, OK, front -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                seen.add(attempt(front, proxy("203.0.113.1")));
            }
            seen.add(attempt(front, proxy("203.0.113.9")));
            return seen;
        });
        // The connection rules key on the connecting address (127.0.0.1 for every attempt), the
        // content rule runs after the PROXY header.
        assertEquals(List.of("200", "200", "200", "429", "403"), outcomes);
    }

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /** Runs the scenario against haproxy, then against Sluice; returns the shared outcome. */
    private static List<String> sideBySide(String frontLines, String reply, Scenario scenario) throws Exception {
        Path dir = Files.createTempDirectory("sluice-track-");
        Path cfg = dir.resolve("haproxy.cfg");
        try (ScriptedServer theirs = new ScriptedServer(reply); ScriptedServer ours = new ScriptedServer(reply)) {
            int theirPort = Ports.free();
            Files.writeString(cfg, config(theirPort, theirs.address().getPort(), frontLines));
            List<String> expected;
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f",
                    cfg.toString()))) {
                awaitBound(theirPort, haproxy);
                expected = scenario.run(new InetSocketAddress("127.0.0.1", theirPort));
            }
            int ourPort = Ports.free();
            LoadResult loaded = ConfigLoader.parse("track.cfg", config(ourPort, ours.address().getPort(), frontLines),
                    Map.of());
            assertTrue(loaded.isValid(), loaded.render());
            List<String> actual;
            try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                actual = scenario.run((InetSocketAddress) balancer.boundAddresses().getFirst());
            }
            assertEquals(expected, actual, "Sluice vs haproxy 2.6");
            return actual;
        } finally {
            Files.deleteIfExists(cfg);
            Files.deleteIfExists(dir);
        }
    }

    private static String config(int port, int serverPort, String frontLines) {
        return """
                global
                  maxconn 1000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d accept-proxy
                %s  default_backend be
                backend be
                  server s 127.0.0.1:%d
                """.formatted(port, frontLines, serverPort);
    }

    /** Waits until haproxy listens, without connecting (a probe would count). Bounded: 10 s in 50 ms steps. */
    private static void awaitBound(int port, ExternalProcess haproxy) throws Exception {
        for (int i = 0; i < 200; i++) {
            ExternalProcess.Result ss = ExternalProcess.run("ss", List.of("ss", "-Hltn", "sport = :" + port),
                    Duration.ofSeconds(5));
            if (!ss.output().isBlank()) {
                return;
            }
            if (!haproxy.alive()) {
                throw new AssertionError("haproxy exited: " + haproxy.output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("haproxy did not listen on " + port + ": " + haproxy.output());
    }

    private static String proxy(String source) {
        return "PROXY TCP4 " + source + " 127.0.0.1 40000 80\r\n";
    }

    private static String attempt(InetSocketAddress front, String prefix) throws IOException {
        return attempt(front, prefix, GET);
    }

    /** One request on a new connection: its status, or {@link #REFUSED} when none came. */
    private static String attempt(InetSocketAddress front, String prefix, String request) throws IOException {
        try (Socket socket = connect(front)) {
            socket.getOutputStream().write((prefix + request).getBytes(StandardCharsets.ISO_8859_1));
            return status(socket.getInputStream());
        }
    }

    /** {@code count} requests one after the other on one connection: each one's status. */
    private static List<String> keepAlive(InetSocketAddress front, String prefix, int count) throws IOException {
        List<String> seen = new ArrayList<>();
        try (Socket socket = connect(front)) {
            OutputStream out = socket.getOutputStream();
            out.write(prefix.getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < count; i++) {
                String status;
                try {
                    out.write(GET.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    status = status(socket.getInputStream());
                } catch (IOException e) {
                    status = REFUSED;
                }
                seen.add(status);
                if (status.equals(REFUSED)) {
                    break;
                }
            }
        }
        return seen;
    }

    private static Socket connect(InetSocketAddress front) throws IOException {
        Socket socket = new Socket();
        socket.connect(front, 3_000);
        socket.setSoTimeout(3_000);
        return socket;
    }

    /** Reads one response (head, then a Content-Length body) and returns its status, or {@link #REFUSED}. */
    private static String status(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (head.size() < MAX_HEAD) {
                int b = in.read();
                if (b < 0) {
                    return REFUSED;
                }
                head.write(b);
                if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within 3 s", e);
        } catch (IOException e) {
            return REFUSED;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
        return text.substring(9, 12);
    }
}
