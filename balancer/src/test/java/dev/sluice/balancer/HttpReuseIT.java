package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.Nginx;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code http-reuse never|safe|aggressive|always}, {@code max-reuse}, {@code pool-max-conn} and
 * {@code pool-purge-delay}, seen from Debian's nginx: each answer names nginx's connection ({@code conn=N}), so
 * the test knows which server connection carried each request. Clients A, B and C each open their own
 * connection to the balancer; the sequence is A1, B1, A2, C1.
 */
class HttpReuseIT {
    private static Nginx nginx;
    private static Path dir;

    @BeforeAll
    static void startNginx() throws IOException {
        nginx = new Nginx("reuse");
        dir = Files.createTempDirectory("sluice-reuse-");
    }

    @AfterAll
    static void stopNginx() {
        nginx.close();
    }

    /** The server connections of A1, B1, A2 and C1 under {@code reuseLine} and the server's {@code options}. */
    private static List<String> sequence(String reuseLine, String options) throws IOException {
        int port = Ports.free();
        try (RunningBalancer balancer = start(port, reuseLine, options);
             RawHttp a = client(port);
             RawHttp b = client(port);
             RawHttp c = client(port)) {
            String a1 = conn(a);
            String b1 = conn(b);
            String a2 = conn(a);
            String c1 = conn(c);
            return List.of(a1, b1, a2, c1);
        }
    }

    private static RunningBalancer start(int port, String reuseLine, String options) throws IOException {
        LoadResult loaded = ConfigLoader.load(List.of(config(port, reuseLine, options)));
        assertTrue(loaded.isValid(), loaded.render());
        return Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
    }

    private static Path config(int port, String reuseLine, String options) throws IOException {
        Path file = Files.createTempFile(dir, "reuse", ".cfg");
        // One event loop (one HAProxy thread): idle pools are per loop, and every client must see the same one.
        Files.writeString(file, """
                global
                  nbthread 1
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend b
                backend b
                  %s
                  server s %s:%d %s
                """.formatted(port, reuseLine, nginx.address().getHostString(), nginx.address().getPort(), options));
        return file;
    }

    /** The same sequence through Debian's HAProxy 2.6 with the same config. */
    private static List<String> haproxySequence(String reuseLine) throws IOException {
        int port = Ports.free();
        Path file = config(port, reuseLine, "");
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", file.toString()))) {
            haproxy.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
            try (RawHttp a = client(port); RawHttp b = client(port); RawHttp c = client(port)) {
                String a1 = conn(a);
                String b1 = conn(b);
                String a2 = conn(a);
                String c1 = conn(c);
                return List.of(a1, b1, a2, c1);
            }
        }
    }

    /** Connection numbers as letters in order of first use: [conn=7, conn=8, conn=7, conn=9] is "abac". */
    private static String shape(List<String> seen) {
        List<String> order = new java.util.ArrayList<>();
        StringBuilder shape = new StringBuilder();
        for (String conn : seen) {
            if (!order.contains(conn)) {
                order.add(conn);
            }
            shape.append((char) ('a' + order.indexOf(conn)));
        }
        return shape.toString();
    }

    private static RawHttp client(int port) {
        return RawHttp.to(new InetSocketAddress("127.0.0.1", port));
    }

    /** One keep-alive request; nginx's connection number that served it. */
    private static String conn(RawHttp http) {
        RawHttp.Response response = http.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
        assertEquals(200, response.status(), response.text());
        for (String word : response.text().trim().split(" ")) {
            if (word.startsWith("conn=")) {
                return word;
            }
        }
        throw new AssertionError("no conn= in " + response.text());
    }

    @Test
    void neverKeepsEachServerConnectionToItsClient() throws IOException {
        List<String> seen = sequence("http-reuse never", "");
        assertEquals(3, Set.copyOf(seen).size(), "A, B and C each got their own connection: " + seen);
        assertEquals(seen.get(0), seen.get(2), "A's second request on A's connection: " + seen);
    }

    @Test
    void safeSendsFirstRequestsOnNewConnections() throws IOException {
        for (String line : List.of("http-reuse safe", "")) { // safe is the default
            List<String> seen = sequence(line, "");
            assertNotEquals(seen.get(0), seen.get(1), "B's first request on a new connection: " + seen);
            assertTrue(Set.of(seen.get(0), seen.get(1)).contains(seen.get(2)), "A's second reuses one: " + seen);
            assertEquals(3, Set.copyOf(seen).size(), "C's first request on a new connection: " + seen);
        }
    }

    @Test
    void aggressiveLetsAFirstRequestTakeOnlyAConnectionAlreadyReused() throws IOException {
        List<String> seen = sequence("http-reuse aggressive", "");
        assertNotEquals(seen.get(0), seen.get(1), "A's connection served once only, B may not take it: " + seen);
        assertEquals(seen.get(2), seen.get(3), "C's first request takes the connection A's second proved: " + seen);
    }

    @Test
    void alwaysSharesOneConnection() throws IOException {
        List<String> seen = sequence("http-reuse always", "");
        assertEquals(1, Set.copyOf(seen).size(), "every request on the one idle connection: " + seen);
    }

    @Test
    void maxReuseAndPoolMaxConnCloseConnections() throws IOException {
        List<String> reuseOnce = sequence("http-reuse always", "max-reuse 1");
        assertEquals(reuseOnce.get(0), reuseOnce.get(1), "one reuse allowed: " + reuseOnce);
        assertNotEquals(reuseOnce.get(1), reuseOnce.get(2), "the second reuse is refused: " + reuseOnce);
        List<String> noPool = sequence("http-reuse always", "pool-max-conn 0");
        assertEquals(4, Set.copyOf(noPool).size(), "nothing is kept idle: " + noPool);
    }

    /**
     * Differential: where HAProxy's choice is fully determined (never, always) the connections match its own;
     * under safe and aggressive, HAProxy may pick either idle connection for A's second request, so the rules
     * that decide the test are compared instead.
     */
    @Test
    void haproxyReusesTheSameWay() throws IOException {
        for (String mode : List.of("never", "always")) {
            assertEquals(shape(haproxySequence("http-reuse " + mode)), shape(sequence("http-reuse " + mode, "")), mode);
        }
        for (List<String> seen : List.of(haproxySequence("http-reuse safe"), sequence("http-reuse safe", ""))) {
            assertEquals(3, Set.copyOf(seen).size(), "safe: B and C start on new connections: " + seen);
        }
        for (List<String> seen : List.of(haproxySequence("http-reuse aggressive"), sequence("http-reuse aggressive", ""))) {
            assertNotEquals(seen.get(0), seen.get(1), "aggressive: " + seen);
            assertEquals(seen.get(2), seen.get(3), "aggressive: " + seen);
        }
    }

    @Test
    void idleConnectionsArePurged() throws Exception {
        int port = Ports.free();
        try (RunningBalancer balancer = start(port, "http-reuse always", "pool-purge-delay 100");
             RawHttp a = client(port);
             RawHttp b = client(port)) {
            String first = conn(a);
            // Several purge intervals: half of the idle connections go each time, so the one parked is closed.
            Thread.sleep(500);
            assertNotEquals(first, conn(b), "the idle connection was purged");
        }
    }
}
