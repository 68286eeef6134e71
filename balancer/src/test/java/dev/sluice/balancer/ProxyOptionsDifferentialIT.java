package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ResponseShape;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code monitor-uri}, {@code monitor fail}, {@code errorloc}/{@code errorloc302}/{@code errorloc303},
 * {@code option originalto} (plain, behind {@code accept-proxy}, with a backend's {@code except}
 * and {@code header}, before a closing mode's {@code Connection} header) and a backend's
 * {@code option http-pretend-keepalive}, run by Debian's haproxy 2.6 and by our engine in front of identical recording
 * servers: for each request the client must get the same response (ResponseShape) and each server
 * the same request heads, line by line.
 */
class ProxyOptionsDifferentialIT {

    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /**
     * Ports: 1 main, 2 accept-proxy, 3 the second frontend, 6 and 7 in http-server-close mode;
     * servers: 4 app, 5 dst.
     */
    private static final String CONFIG = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            frontend fe
              bind 127.0.0.1:%1$d
              bind 127.0.0.1:%2$d accept-proxy
              acl down hdr(x-down) -m found
              monitor-uri /health
              monitor fail if down
              http-request deny if { path /health }
              errorloc 503 http://example.com/first
              errorloc 503 http://example.com/sorry
              option originalto
              use_backend nowhere if { path /none }
              use_backend dst if { path_beg /dst }
              default_backend app
            frontend fe2
              bind 127.0.0.1:%3$d
              monitor-uri /ping
              monitor fail unless { hdr(x-up) -m found }
              errorloc303 503 /maint
              default_backend nowhere
            frontend closing
              bind 127.0.0.1:%6$d
              option http-server-close
              option forwardfor
              option originalto
              default_backend app
            frontend pretending
              bind 127.0.0.1:%7$d
              option http-server-close
              default_backend pretend
            backend pretend
              option http-pretend-keepalive
              server s %4$s
            backend nowhere
            backend app
              server s %4$s
            backend dst
              option originalto except 10.0.0.0/8 header X-Dst
              server s %5$s
            """;

    /** Which listener a case talks to, then the raw bytes it sends. */
    private record Case(int listener, String request) {
        @Override
        public String toString() {
            return listener + ": " + request.replace("\r\n", "\\r\\n");
        }
    }

    private static final int MAIN = 0;
    private static final int PROXIED = 1;
    private static final int SECOND = 2;
    private static final int CLOSING = 3;
    private static final int PRETENDING = 4;

    private static final List<Case> CASES = List.of(
            new Case(MAIN, get("/health", "")),
            new Case(MAIN, get("/health", "X-Down: 1\r\n")),
            new Case(MAIN, "HEAD /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
            new Case(MAIN, "GET /health HTTP/1.0\r\n\r\n"),
            new Case(MAIN, "POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"),
            new Case(MAIN, get("/health?x=1", "")),
            new Case(MAIN, get("/health/", "")),
            new Case(MAIN, "GET http://a.example/health HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n"),
            new Case(MAIN, get("/none", "")),
            new Case(MAIN, get("/plain", "X-Original-To: forged\r\n")),
            new Case(MAIN, get("/dst/1", "")),
            new Case(PROXIED, "PROXY TCP4 192.0.2.7 10.1.2.3 40000 80\r\n" + get("/plain", "")),
            new Case(PROXIED, "PROXY TCP4 192.0.2.7 10.1.2.3 40000 80\r\n" + get("/dst/2", "")),
            new Case(PROXIED, "PROXY TCP4 192.0.2.7 198.51.100.9 40000 80\r\n" + get("/dst/3", "")),
            new Case(PROXIED, "PROXY TCP6 2001:db8::7 2001:db8::1 40000 80\r\n" + get("/plain", "")),
            new Case(PROXIED, "PROXY TCP4 192.0.2.7 10.1.2.3 40000 80\r\n" + get("/health", "")),
            new Case(SECOND, get("/ping", "")),
            new Case(SECOND, get("/ping", "X-Up: yes\r\n")),
            new Case(SECOND, get("/anything", "")),
            new Case(CLOSING, get("/order", "X-A: 1\r\n")),
            new Case(PRETENDING, get("/pretend", "X-A: 1\r\n")));

    private static Path dir;

    @BeforeAll
    static void files() throws IOException {
        dir = Files.createTempDirectory("sluice-proxyopt-diff-");
    }

    @AfterAll
    static void clean() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static String get(String target, String extra) {
        return "GET " + target + " HTTP/1.1\r\nHost: a.example\r\n" + extra + "Connection: close\r\n\r\n";
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    private static Path config(String name, int[] ports, ScriptedServer app, ScriptedServer dst) throws IOException {
        Path file = dir.resolve(name + ".cfg");
        Files.writeString(file, CONFIG.formatted(ports[0], ports[1], ports[2], hostPort(app), hostPort(dst), ports[3],
                ports[4]));
        return file;
    }

    private static String hostPort(ScriptedServer server) {
        return "127.0.0.1:" + server.address().getPort();
    }

    /** What the client got, then what each server received. */
    private static List<String> observe(int port, String request, ScriptedServer app, ScriptedServer dst) {
        List<String> seen = new ArrayList<>(ResponseShape.of(exchange(port, request)));
        for (ScriptedServer server : List.of(app, dst)) {
            seen.add("-- server " + (server == app ? "app" : "dst"));
            for (String head : server.heads()) {
                for (String line : head.split("\r\n")) {
                    int colon = line.indexOf(':');
                    seen.add(colon < 0 || line.indexOf(' ') < colon ? line
                            : line.substring(0, colon).toLowerCase(Locale.ROOT) + ":" + line.substring(colon + 1));
                }
            }
            server.heads().clear();
        }
        return seen;
    }

    private static String exchange(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            out.write("<timeout>".getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(Case c) throws IOException {
        int[] theirPorts = {Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free()};
        int[] ourPorts = {Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free()};
        try (ScriptedServer theirApp = new ScriptedServer(REPLY); ScriptedServer theirDst = new ScriptedServer(REPLY);
             ScriptedServer ourApp = new ScriptedServer(REPLY); ScriptedServer ourDst = new ScriptedServer(REPLY)) {
            Path theirs = config("haproxy", theirPorts, theirApp, theirDst);
            LoadResult loaded = ConfigLoader.load(List.of(config("sluice", ourPorts, ourApp, ourDst)));
            assertTrue(loaded.isValid(), loaded.render());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", theirs.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                for (int port : theirPorts) {
                    haproxy.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
                }
                List<String> expected = observe(theirPorts[c.listener()], c.request(), theirApp, theirDst);
                List<String> actual = observe(ourPorts[c.listener()], c.request(), ourApp, ourDst);
                assertTrue(expected.getFirst().startsWith("HTTP/1.1 "), "haproxy answered: " + expected);
                assertEquals(String.join("\n", expected), String.join("\n", actual), c.toString());
            }
        }
    }
}
