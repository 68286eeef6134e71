package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.NamedServer;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code balance} and {@code hash-type} end to end: real configuration files run by
 * {@code scripts/balancer -f}, real HTTP servers that answer with their name, and Debian's
 * haproxy 2.6 with the same configuration as the reference for which server gets each request.
 */
class AlgorithmsIT {
    private static final Duration START = Duration.ofSeconds(20);
    private static final int KEYS = 200;

    private final List<NamedServer> servers = new ArrayList<>();
    private final List<AutoCloseable> processes = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("sluice-lb-");
        for (int i = 1; i <= 4; i++) {
            servers.add(new NamedServer("s" + i));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable process : processes) {
            process.close();
        }
        for (NamedServer server : servers) {
            server.close();
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** A configuration: a frontend on {@code port} and backend {@code be} with {@code lines}, then servers. */
    private String config(int port, boolean acceptProxy, String backendLines, String serverLines) {
        return """
                global
                  maxconn 1000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                  timeout queue 5s
                frontend fe
                  bind 127.0.0.1:%d%s
                  default_backend be
                backend be
                %s
                %s
                """.formatted(port, acceptProxy ? " accept-proxy" : "", backendLines.indent(2), serverLines.indent(2));
    }

    /** {@code server sN ADDR [extra]} for each server whose index is listed, extra per index. */
    private String serverLines(List<Integer> which, IntFunction<String> extra) {
        StringBuilder lines = new StringBuilder();
        for (int i : which) {
            InetSocketAddress a = servers.get(i - 1).address();
            lines.append("server s").append(i).append(' ').append(a.getHostString()).append(':').append(a.getPort())
                    .append(' ').append(extra.apply(i)).append('\n');
        }
        return lines.toString();
    }

    private InetSocketAddress start(String kind, String text, int port) {
        Path file = dir.resolve(kind + "-" + port + ".cfg");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalProcess process = kind.equals("haproxy")
                ? ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()))
                : Sluice.balancer("-f", file.toString());
        processes.add(process);
        process.awaitListening("127.0.0.1", port, START);
        return new InetSocketAddress("127.0.0.1", port);
    }

    private InetSocketAddress startOurs(String text, int port) {
        return start("sluice", text, port);
    }

    /** Which server answered each request; each request on its own connection, after an optional PROXY line. */
    private static List<String> who(InetSocketAddress front, List<String> requests, List<String> proxyLines) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            try (RawHttp client = RawHttp.to(front)) {
                client.setTimeout(5_000);
                String prefix = proxyLines == null ? "" : proxyLines.get(i);
                RawHttp.Response response = client.send(prefix + requests.get(i)).read();
                assertEquals(200, response.status(), "request " + requests.get(i));
                names.add(response.text());
            }
        }
        return names;
    }

    private static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: www.example.com\r\n" + String.join("", headers) + "\r\n";
    }

    private static List<String> uriRequests() {
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            requests.add(get("/objects/" + i + "/img.png?v=" + (i % 7)));
        }
        return requests;
    }

    private static Map<String, String> byKey(List<String> keys, List<String> names) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i), names.get(i));
        }
        return map;
    }

    @Test
    void consistentUriHashIsTheSameInTwoProcessesAndMovesOnlyARemovedServersKeys() {
        String algorithm = "balance uri\nhash-type consistent";
        // Explicit ids: ring positions do not depend on which other servers are listed.
        IntFunction<String> ids = i -> "id " + (10 + i);
        List<String> requests = uriRequests();
        int p1 = Ports.free();
        int p2 = Ports.free();
        InetSocketAddress one = startOurs(config(p1, false, algorithm, serverLines(List.of(1, 2, 3, 4), ids)), p1);
        InetSocketAddress two = startOurs(config(p2, false, algorithm, serverLines(List.of(1, 2, 3, 4), ids)), p2);
        List<String> first = who(one, requests, null);
        assertEquals(first, who(two, requests, null), "two balancers, same config: same server for every URI");
        assertEquals(Set.of("s1", "s2", "s3", "s4"), new HashSet<>(first), "every server gets keys");

        int p3 = Ports.free();
        InetSocketAddress without = startOurs(config(p3, false, algorithm, serverLines(List.of(1, 3, 4), ids)), p3);
        List<String> after = who(without, requests, null);
        int moved = 0;
        for (int i = 0; i < requests.size(); i++) {
            if (first.get(i).equals("s2")) {
                assertNotEquals("s2", after.get(i));
                moved++;
            } else {
                assertEquals(first.get(i), after.get(i), "a key of a remaining server stays: " + requests.get(i));
            }
        }
        assertTrue(moved > 0 && moved < KEYS / 2, "only s2's keys moved: " + moved);
        // Our ring is HAProxy's: the same config in haproxy 2.6 sends every URI to the same server.
        int p4 = Ports.free();
        InetSocketAddress haproxy = start("haproxy", config(p4, false, algorithm, serverLines(List.of(1, 3, 4), ids)), p4);
        assertEquals(byKey(requests, after), byKey(requests, who(haproxy, requests, null)));
    }

    /** Backend lines and the requests (with their PROXY lines, or null) that must reach the same servers. */
    record Case(String name, String backend, boolean acceptProxy, List<String> requests, List<String> proxyLines) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> sameAsHaproxy() {
        List<String> uris = uriRequests();
        List<String> params = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            params.add(get("/search?lang=en&user=u" + i + "&x=1"));
            hosts.add("GET / HTTP/1.1\r\nHost: shop" + i + ".example.com\r\n\r\n");
            sources.add("PROXY TCP4 198.51." + (i % 5) + "." + (i * 3 % 250 + 1) + " 127.0.0.1 40000 80\r\n");
            plain.add(get("/"));
        }
        return Stream.of(
                new Case("uri map-based", "balance uri", false, uris, null),
                new Case("uri consistent sdbm", "balance uri\nhash-type consistent", false, uris, null),
                new Case("uri whole, depth 2, crc32", "balance uri whole depth 2\nhash-type consistent crc32", false,
                        uris, null),
                new Case("uri len 12, djb2 avalanche", "balance uri len 12\nhash-type map-based djb2 avalanche", false,
                        uris, null),
                new Case("url_param consistent wt6", "balance url_param user\nhash-type consistent wt6", false,
                        params, null),
                new Case("hdr(host) consistent", "balance hdr(host)\nhash-type consistent", false, hosts, null),
                new Case("source from PROXY, consistent", "balance source\nhash-type consistent", true, plain,
                        sources),
                new Case("source from PROXY, map-based", "balance source", true, plain, sources));
    }

    @ParameterizedTest
    @MethodSource
    void sameAsHaproxy(Case c) {
        String lines = serverLines(List.of(1, 2, 3, 4), i -> i == 2 ? "weight 2" : "");
        int ours = Ports.free();
        int theirs = Ports.free();
        List<String> expected = who(start("haproxy", config(theirs, c.acceptProxy(), c.backend(), lines), theirs),
                c.requests(), c.proxyLines());
        List<String> actual = who(startOurs(config(ours, c.acceptProxy(), c.backend(), lines), ours),
                c.requests(), c.proxyLines());
        assertTrue(new HashSet<>(expected).size() > 1, "the keys spread: " + expected);
        assertEquals(expected, actual, c.name());
    }

    @Test
    void sourceHashingUsesThePROXYSourceNotThePeer() {
        int port = Ports.free();
        InetSocketAddress front = startOurs(config(port, true, "balance source\nhash-type consistent",
                serverLines(List.of(1, 2, 3, 4), i -> "")), port);
        Map<String, Set<String>> serversBySource = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i <= 20; i++) {
                String source = "203.0.113." + i;
                String proxy = "PROXY TCP4 " + source + " 127.0.0.1 5000 80\r\n";
                String name = who(front, List.of(get("/")), List.of(proxy)).getFirst();
                serversBySource.computeIfAbsent(source, s -> new HashSet<>()).add(name);
            }
        }
        Set<String> used = new HashSet<>();
        serversBySource.forEach((source, names) -> {
            assertEquals(1, names.size(), source + " always goes to one server: " + names);
            used.addAll(names);
        });
        assertTrue(used.size() > 1, "all connections come from 127.0.0.1, yet sources spread: " + used);
    }

    @Test
    void staticRoundRobinFollowsWeightsExactly() {
        int port = Ports.free();
        InetSocketAddress front = startOurs(config(port, false, "balance static-rr",
                serverLines(List.of(1, 2), i -> i == 1 ? "weight 3" : "weight 1")), port);
        Map<String, Integer> counts = new HashMap<>();
        try (RawHttp client = RawHttp.to(front)) {
            for (int i = 0; i < 8; i++) {
                counts.merge(client.send(get("/")).read().text(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of("s1", 6, "s2", 2), counts);
    }

    @Test
    void leastConnAvoidsTheServerWithARequestInProgress() throws InterruptedException {
        int port = Ports.free();
        InetSocketAddress front = startOurs(config(port, false, "balance leastconn",
                serverLines(List.of(1, 2), i -> "")), port);
        try (RawHttp holder = RawHttp.to(front)) {
            holder.send(get("/hold"));
            NamedServer busy = awaitHolder(servers.subList(0, 2));
            String idle = busy.name().equals("s1") ? "s2" : "s1";
            for (String name : who(front, List.of(get("/a"), get("/b"), get("/c"), get("/d")), null)) {
                assertEquals(idle, name, "the busy server has more connections");
            }
            busy.release();
            assertEquals(busy.name(), holder.read().text());
        }
    }

    @Test
    void firstFillsTheLowestIdUpToItsMaxconn() throws InterruptedException {
        int port = Ports.free();
        InetSocketAddress front = startOurs(config(port, false, "balance first",
                serverLines(List.of(1, 2, 3), i -> "maxconn 1 id " + (4 - i))), port);
        // Ids: s3 is 1, s2 is 2, s1 is 3.
        assertEquals(List.of("s3", "s3", "s3"), who(front, List.of(get("/a"), get("/b"), get("/c")), null));
        try (RawHttp holder = RawHttp.to(front)) {
            holder.send(get("/hold"));
            assertTrue(servers.get(2).awaitHeld(5_000), "the held request reached s3");
            assertEquals(List.of("s2", "s2"), who(front, List.of(get("/a"), get("/b")), null));
            servers.get(2).release();
            assertEquals("s3", holder.read().text());
        }
    }

    @Test
    void tcpModeHashesThePROXYSourceLikeHaproxy() {
        String lines = serverLines(List.of(1, 2, 3, 4), i -> "");
        List<String> requests = new ArrayList<>();
        List<String> proxies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(get("/"));
            proxies.add("PROXY TCP4 192.0.2." + (i + 1) + " 127.0.0.1 6000 80\r\n");
        }
        List<List<String>> results = new ArrayList<>();
        for (String kind : List.of("haproxy", "sluice")) {
            int port = Ports.free();
            String text = config(port, true, "balance source\nhash-type consistent", lines)
                    .replace("mode http", "mode tcp");
            results.add(who(start(kind, text, port), requests, proxies));
        }
        assertTrue(new HashSet<>(results.get(0)).size() > 1, "the sources spread: " + results.get(0));
        assertEquals(results.get(0), results.get(1));
    }

    private static NamedServer awaitHolder(List<NamedServer> candidates) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            for (NamedServer server : candidates) {
                if (server.awaitHeld(100)) {
                    return server;
                }
            }
        }
        throw new AssertionError("the held request reached no server");
    }
}
