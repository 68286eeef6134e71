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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tune.http.maxhdr} (and the socket buffer sizes, which must not change what goes through)
 * run by Debian's haproxy 2.6 and by our engine: at the limit a request or a response passes, one
 * line over it a request gets 400 and a response becomes a 502 ({@code Connection} lines are not
 * counted, as HAProxy's parser consumes them). A 400 is compared by its status
 * line's code only: HAProxy writes "Bad request", our page "Bad Request".
 */
class GlobalTuningDifferentialIT {

    private static final int MAX_LINES = 6;
    /** Status line plus MAX_LINES - 1 headers: at the limit. */
    private static final String FULL = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\nok";
    private static final String OVER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5"
            + "\r\n\r\nok";

    private static final String CONFIG = """
            global
              nbthread 1
              tune.http.maxhdr %d
              tune.rcvbuf.client 65536
              tune.sndbuf.client 65536
              tune.rcvbuf.server 65536
              tune.sndbuf.server 65536
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            frontend fe
              bind 127.0.0.1:%d
              use_backend over if { path /over }
              default_backend full
            backend full
              server s %s
            backend over
              server s %s
            """;

    private record Case(String request, boolean codeOnly) {
        @Override
        public String toString() {
            return request.replace("\r\n", "\\r\\n");
        }
    }

    /** Request line, Host, {@code extra} more headers, then Connection. */
    private static String request(String path, int extra) {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < extra; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        return head.append("Connection: close\r\n\r\n").toString();
    }

    static Stream<Case> cases() {
        return Stream.of(
                // Connection lines do not count: HAProxy's parser consumes them.
                new Case(request("/", MAX_LINES - 2), false), // at the limit
                new Case(request("/", MAX_LINES - 1), true), // one line over: 400
                new Case(request("/over", 0), false)); // the response is one line over: 502
    }

    private static String exchange(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> observe(int port, Case c, ScriptedServer full) {
        List<String> seen = new ArrayList<>(ResponseShape.of(exchange(port, c.request())));
        if (c.codeOnly()) {
            return List.of(seen.getFirst().substring(0, "HTTP/1.1 400".length()));
        }
        seen.add("-- server saw " + full.heads().size() + " request(s)");
        full.heads().clear();
        return seen;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(Case c) throws IOException {
        Path dir = Files.createTempDirectory("sluice-tuning-diff-");
        try (ScriptedServer theirFull = new ScriptedServer(FULL); ScriptedServer theirOver = new ScriptedServer(OVER);
             ScriptedServer ourFull = new ScriptedServer(FULL); ScriptedServer ourOver = new ScriptedServer(OVER)) {
            int theirPort = Ports.free();
            int ourPort = Ports.free();
            Path theirs = dir.resolve("haproxy.cfg");
            Files.writeString(theirs, CONFIG.formatted(MAX_LINES, theirPort, "127.0.0.1:" + theirFull.address().getPort(),
                    "127.0.0.1:" + theirOver.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("sluice.cfg", CONFIG.formatted(MAX_LINES, ourPort,
                    "127.0.0.1:" + ourFull.address().getPort(), "127.0.0.1:" + ourOver.address().getPort()),
                    java.util.Map.of());
            assertTrue(loaded.isValid(), loaded.render());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                    List.of("haproxy", "-db", "-f", theirs.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                List<String> expected = observe(theirPort, c, theirFull);
                List<String> actual = observe(ourPort, c, ourFull);
                assertTrue(expected.getFirst().startsWith("HTTP/1.1 "), "haproxy answered: " + expected);
                assertEquals(String.join("\n", expected), String.join("\n", actual), c.toString());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.delete(dir);
        }
    }
}
