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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code option http-keep-alive}, {@code http-server-close} and {@code httpclose}, in defaults, a
 * frontend or a backend, through Debian's haproxy 2.6 and through ours: the client must see the
 * same {@code Connection} headers and the same closes, the server the same {@code Connection}
 * headers and the same number of connections.
 */
class ConnectionModeDifferentialIT {
    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final int CLOSE_WAIT_MILLIS = 500;

    record Case(String name, String defaults, String frontend, String backend) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("keep-alive (default)", "", "", ""),
                new Case("server-close in defaults", "option http-server-close", "", ""),
                new Case("httpclose in defaults", "option httpclose", "", ""),
                new Case("server-close in the frontend", "", "option http-server-close", ""),
                new Case("httpclose in the backend", "", "", "option httpclose"),
                new Case("httpclose in the frontend", "", "option httpclose", ""),
                new Case("frontend httpclose, backend keep-alive", "option httpclose", "",
                        "option http-keep-alive"),
                new Case("backend httpclose closes the server side only", "", "option http-server-close",
                        "option httpclose"),
                new Case("no option in the backend undoes defaults", "option http-server-close", "",
                        "no option http-server-close"));
    }

    private static String config(Case c, int port, int server) {
        return """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                  %s
                frontend fe
                  bind 127.0.0.1:%d
                  %s
                  default_backend be
                backend be
                  %s
                  server s1 127.0.0.1:%d
                """.formatted(c.defaults(), port, c.frontend(), c.backend(), server);
    }

    /** Two HTTP/1.1 requests on one connection, then one HTTP/1.0 keep-alive request on another. */
    private static List<String> observe(InetSocketAddress front, ScriptedServer server) {
        List<String> seen = new ArrayList<>();
        try (RawHttp client = RawHttp.to(front)) {
            for (int i = 1; i <= 2; i++) {
                client.setTimeout(3_000);
                RawHttp.Response response = client.send("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                seen.add("1.1 #" + i + ": " + response.status() + " connection=" + response.header("connection"));
                client.setTimeout(CLOSE_WAIT_MILLIS);
                if (client.closedByPeer()) {
                    seen.add("1.1 #" + i + ": closed");
                    break;
                }
            }
        }
        seen.add("server connections after the 1.1 client: " + server.connections());
        try (RawHttp client = RawHttp.to(front)) {
            client.setTimeout(3_000);
            RawHttp.Response response = client.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            seen.add("1.0: " + response.status() + " connection=" + response.header("connection"));
            client.setTimeout(CLOSE_WAIT_MILLIS);
            seen.add("1.0: " + (client.closedByPeer() ? "closed" : "open"));
        }
        for (String head : server.heads()) {
            String first = head.substring(0, head.indexOf("\r\n"));
            String connection = null;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    connection = line.substring("connection:".length()).trim().toLowerCase(Locale.ROOT);
                }
            }
            seen.add("server got " + first + " connection=" + connection);
        }
        return seen;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(Case c) throws IOException {
        Path dir = Files.createTempDirectory("sluice-connmode-");
        try (ScriptedServer theirs = new ScriptedServer(REPLY); ScriptedServer ours = new ScriptedServer(REPLY)) {
            int theirPort = Ports.free();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(c, theirPort, theirs.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(c, Ports.free(), ours.address().getPort()), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                List<String> expected = observe(new InetSocketAddress("127.0.0.1", theirPort), theirs);
                List<String> actual = observe((InetSocketAddress) balancer.boundAddresses().getFirst(), ours);
                assertEquals(expected, actual, c.name());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.deleteIfExists(dir);
        }
    }
}
