package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stick tables and tcp-request rules, side by side with Debian's haproxy 2.6: the same
 * configuration text runs in both, the same connection attempts are made against each (raw
 * sockets, PROXY v1 headers written by hand), and the list of which attempts were answered and
 * which refused must be the same — and the one the HAProxy documentation leads to expect.
 */
class StickTablesIT {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String REFUSED = "refused";
    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    /** How long a closed client takes to be seen closed by either proxy, generously. */
    private static final long CLOSE_SETTLE_MS = 300;

    /** One run: the attempts against a front address; sockets kept open are closed by the caller. */
    @FunctionalInterface
    interface Scenario {
        List<String> run(InetSocketAddress front, List<Socket> open) throws Exception;
    }

    @Test
    void srcConnCurCapsConcurrentConnections() throws Exception {
        String lines = """
                  stick-table type ip size 1k store conn_cur
                  tcp-request connection reject if { src_conn_cur ge 3 }
                  tcp-request connection track-sc0 src
                """;
        List<String> outcomes = sideBySide(lines, false, (front, open) -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                seen.add(attempt(front, "", open));
            }
            open.removeFirst().close();
            Thread.sleep(CLOSE_SETTLE_MS);
            seen.add(attempt(front, "", open));
            return seen;
        });
        assertEquals(List.of("200", "200", "200", REFUSED, "200"), outcomes);
    }

    @Test
    void sessionRulesLimitTheRateOfTheClientThePROXYHeaderNames() throws Exception {
        String lines = """
                  stick-table type ip size 1k expire 30s store conn_rate(10s)
                  tcp-request session track-sc0 src
                  tcp-request session reject if { sc0_conn_rate gt 10 }
                """;
        List<String> outcomes = sideBySide(lines, true, (front, open) -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                seen.add(attempt(front, proxy("203.0.113.1"), null));
            }
            seen.add(attempt(front, proxy("203.0.113.2"), null));
            return seen;
        });
        List<String> expected = new ArrayList<>(Collections.nCopies(10, "200"));
        expected.addAll(List.of(REFUSED, REFUSED, "200"));
        assertEquals(expected, outcomes);
    }

    @Test
    void connectionRulesSeeTheSocketPeerEvenBehindAcceptProxy() throws Exception {
        String lines = """
                  stick-table type ip size 1k expire 30s store conn_rate(10s)
                  tcp-request connection track-sc0 src
                  tcp-request connection reject if { sc0_conn_rate gt 10 }
                """;
        List<String> outcomes = sideBySide(lines, true, (front, open) -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                seen.add(attempt(front, proxy("203.0.113.1"), null));
            }
            seen.add(attempt(front, proxy("203.0.113.2"), null));
            return seen;
        });
        List<String> expected = new ArrayList<>(Collections.nCopies(10, "200"));
        expected.addAll(List.of(REFUSED, REFUSED));
        assertEquals(expected, outcomes);
    }

    @Test
    void expectProxyTrustsOnlyTheSourcesItsConditionNames() throws Exception {
        String trusted = """
                  tcp-request connection expect-proxy layer4 if { src 127.0.0.0/8 }
                """;
        assertEquals(List.of("200", REFUSED), sideBySide(trusted, false, (front, open) ->
                List.of(attempt(front, proxy("198.51.100.4"), null), attempt(front, "", null))));
        String untrusted = """
                  tcp-request connection expect-proxy layer4 if { src 10.0.0.0/8 }
                """;
        assertEquals(List.of("200"), sideBySide(untrusted, false, (front, open) -> List.of(attempt(front, "", null))));
    }

    @Test
    void contentRulesCountHttpRequestsOfTheTrackedClient() throws Exception {
        String lines = """
                  stick-table type ip size 1k store http_req_cnt,http_req_rate(10s)
                  tcp-request connection track-sc1 src
                  tcp-request content reject if { sc1_http_req_cnt gt 3 }
                """;
        List<String> outcomes = sideBySide(lines, false, (front, open) -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(attempt(front, "", null));
            }
            return seen;
        });
        // Content rules run before the request is counted: the 5th request sees 4 earlier ones.
        assertEquals(List.of("200", "200", "200", "200", REFUSED), outcomes);
    }

    @Test
    void stickOnSrcKeepsEachClientOnItsServer() throws Exception {
        String backend = """
                  balance roundrobin
                  stick-table type ip size 1k expire 30s
                  stick on src
                """;
        List<String> outcomes = sideBySide((port, s1, s2) -> """
                global
                  maxconn 1000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d accept-proxy
                  default_backend be
                backend be
                %s  server s1 127.0.0.1:%d
                  server s2 127.0.0.1:%d
                """.formatted(port, backend, s1, s2), (front, open) -> {
            List<String> seen = new ArrayList<>();
            for (String client : List.of("203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.2",
                    "203.0.113.3", "203.0.113.3", "203.0.113.1")) {
                seen.add(client.substring(client.lastIndexOf('.') + 1) + ":" + body(front, proxy(client)));
            }
            return seen;
        });
        // Round robin alone would alternate s1, s2 on every request.
        assertEquals(List.of("1:s1", "1:s1", "2:s2", "2:s2", "3:s1", "3:s1", "1:s1"), outcomes);
    }

    @Test
    void aBackendHoldingOnlyATableServesAsANamedTable() throws Exception {
        ConfigText named = (port, s1, s2) -> """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  tcp-request connection track-sc2 src table per_ip
                  tcp-request connection reject if { sc2_conn_rate(per_ip) gt 3 } || { src_conn_cnt(per_ip) gt 3 }
                  default_backend be
                backend be
                  server s1 127.0.0.1:%d
                backend per_ip
                  stick-table type ipv6 size 100 expire 1m store conn_rate(10s),conn_cnt
                """.formatted(port, s1);
        List<String> outcomes = sideBySide(named, (front, open) -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(attempt(front, "", null));
            }
            return seen;
        });
        assertEquals(List.of("200", "200", "200", REFUSED, REFUSED), outcomes);
    }

    @Test
    void responsesOf4xxCountAsHttpErrors() throws Exception {
        String notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno";
        List<String> outcomes = sideBySide((port, s1, s2) -> config(port, s1, """
                  stick-table type ip size 1k store http_err_cnt,http_err_rate(10s)
                  tcp-request connection track-sc0 src
                  tcp-request content reject if { sc0_http_err_cnt gt 1 } || { sc0_http_err_rate gt 1 }
                """, false), notFound, notFound, (front, open) -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                seen.add(attempt(front, "", null));
            }
            return seen;
        });
        assertEquals(List.of("404", "404", REFUSED, REFUSED), outcomes);
    }

    @Test
    void tcpModeRunsConnectionAndSessionRulesToo() throws Exception {
        ConfigText tcp = (port, s1, s2) -> """
                defaults
                  mode tcp
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d accept-proxy
                  stick-table type ip size 1k store conn_cur
                  tcp-request connection track-sc0 src
                  tcp-request connection reject if { sc0_conn_cur gt 2 }
                  tcp-request session reject if { src 203.0.113.9 }
                  default_backend be
                backend be
                  server s1 127.0.0.1:%d
                """.formatted(port, s1);
        List<String> outcomes = sideBySide(tcp, (front, open) -> List.of(
                attempt(front, proxy("203.0.113.8"), open),
                attempt(front, proxy("203.0.113.9"), open),
                attempt(front, proxy("203.0.113.8"), open),
                attempt(front, proxy("203.0.113.7"), open)));
        // The session rule refuses .9; the kept connections (two) fill the socket peer's cap of two.
        assertEquals(List.of("200", REFUSED, "200", REFUSED), outcomes);
    }

    /** Runs the scenario against haproxy, then against Sluice; returns the shared outcome. */
    private static List<String> sideBySide(String frontLines, boolean acceptProxy, Scenario scenario)
            throws Exception {
        return sideBySide((port, s1, s2) -> config(port, s1, frontLines, acceptProxy), scenario);
    }

    /** A configuration text for a front port and two server ports. */
    @FunctionalInterface
    interface ConfigText {
        String of(int port, int server1, int server2);
    }

    private static List<String> sideBySide(ConfigText text, Scenario scenario) throws Exception {
        return sideBySide(text, reply("s1"), reply("s2"), scenario);
    }

    private static List<String> sideBySide(ConfigText text, String reply1, String reply2, Scenario scenario)
            throws Exception {
        Path dir = Files.createTempDirectory("sluice-stick-");
        try (ScriptedServer theirs1 = new ScriptedServer(reply1); ScriptedServer theirs2 = new ScriptedServer(reply2);
             ScriptedServer ours1 = new ScriptedServer(reply1); ScriptedServer ours2 = new ScriptedServer(reply2)) {
            int theirPort = Ports.free();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, text.of(theirPort, theirs1.address().getPort(), theirs2.address().getPort()));
            List<String> expected;
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f",
                    cfg.toString()))) {
                awaitBound(theirPort, haproxy);
                expected = runScenario(new InetSocketAddress("127.0.0.1", theirPort), scenario);
            }
            int ourPort = Ports.free();
            LoadResult loaded = ConfigLoader.parse("stick.cfg", text.of(ourPort, ours1.address().getPort(),
                    ours2.address().getPort()), Map.of());
            assertTrue(loaded.isValid(), loaded.render());
            List<String> actual;
            try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                actual = runScenario((InetSocketAddress) balancer.boundAddresses().getFirst(), scenario);
            }
            assertEquals(expected, actual, "Sluice vs haproxy 2.6");
            return actual;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static String reply(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** One request on a new connection; the response body ("s1", "s2") or {@link #REFUSED}. */
    private static String body(InetSocketAddress front, String prefix) {
        try (Socket socket = new Socket()) {
            socket.connect(front, 3_000);
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write((prefix + GET).getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(socket.getInputStream().readNBytes(reply("s1").length()), StandardCharsets.ISO_8859_1);
            return all.length() < 2 ? REFUSED : all.substring(all.length() - 2);
        } catch (IOException e) {
            return REFUSED;
        }
    }

    private static List<String> runScenario(InetSocketAddress front, Scenario scenario) throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            return scenario.run(front, open);
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    private static String config(int port, int serverPort, String frontLines, boolean acceptProxy) {
        return """
                global
                  maxconn 1000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d%s
                %s  default_backend be
                backend be
                  server s 127.0.0.1:%d
                """.formatted(port, acceptProxy ? " accept-proxy" : "", frontLines, serverPort);
    }

    /**
     * Waits until haproxy listens without connecting to it (a probe would count in the tables).
     * Bounded: 10 s in 50 ms steps.
     */
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

    /**
     * Connects, writes {@code prefix} and one request, and reads the status: the status code, or
     * {@link #REFUSED} when the connection ends without an answer. A connection answered 200 stays
     * open in {@code keep} when given (it then counts in conn_cur), else it is closed.
     */
    private static String attempt(InetSocketAddress front, String prefix, List<Socket> keep) {
        Socket socket = new Socket();
        boolean kept = false;
        try {
            socket.connect(front, 3_000);
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write((prefix + GET).getBytes(StandardCharsets.ISO_8859_1));
            byte[] head = socket.getInputStream().readNBytes(12);
            if (head.length < 12) {
                return REFUSED;
            }
            String status = new String(head, 9, 3, StandardCharsets.ISO_8859_1);
            socket.getInputStream().readNBytes(OK.length() - 12);
            if (keep != null && status.equals("200")) {
                keep.add(socket);
                kept = true;
            }
            return status;
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within 3 s", e);
        } catch (IOException e) {
            return REFUSED;
        } finally {
            if (!kept) {
                try {
                    socket.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
