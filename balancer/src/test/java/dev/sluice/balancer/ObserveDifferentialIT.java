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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Passive health ({@code observe}, {@code error-limit}, {@code on-error}) side by side with Debian's
 * haproxy 2.6: server A answers 500 (or refuses connections), server B answers 200, round robin; the
 * client must see the same sequence of answers in both, i.e. A taken out after the same number of
 * errors (one thread each: our round robin is per event loop). Health checks run on a port that always accepts, every minute, with {@code rise 1 fall 1},
 * so that a check landing during the test changes nothing.
 */
class ObserveDifferentialIT {
    private static final String FAILING = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 1\r\n\r\nA";
    private static final String GOOD = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nB";
    private static final int REQUESTS = 10;

    record Case(String name, String observeA, boolean refuseA) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("layer7 mark-down after 3", "observe layer7 error-limit 3 on-error mark-down", false),
                new Case("layer7 fail-check after 2", "observe layer7 error-limit 2 on-error fail-check", false),
                new Case("layer7 fastinter only", "observe layer7 error-limit 1 on-error fastinter", false),
                new Case("layer4 ignores a 500", "observe layer4 error-limit 1 on-error mark-down", false),
                new Case("layer4 refused connects", "observe layer4 error-limit 2 on-error mark-down", true));
    }

    private static String config(Case c, int port, int a, int b, int checkPort) {
        return """
                global
                  nbthread 1
                defaults
                  mode http
                  retries 0
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend be
                backend be
                  balance roundrobin
                  default-server check port %d inter 60s fastinter 60s downinter 60s rise 1 fall 1
                  server a 127.0.0.1:%d %s
                  server b 127.0.0.1:%d
                """.formatted(port, checkPort, a, c.observeA(), b);
    }

    private static List<String> observe(InetSocketAddress front) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            try (RawHttp client = RawHttp.to(front)) {
                client.setTimeout(5_000);
                RawHttp.Response response = client.send("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                seen.add(response.status() + (response.status() == 503 ? "" : " " + response.text()));
            }
        }
        return seen;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(Case c) throws IOException {
        Path dir = Files.createTempDirectory("sluice-observe-");
        try (ScriptedServer theirA = new ScriptedServer(FAILING); ScriptedServer theirB = new ScriptedServer(GOOD);
             ScriptedServer ourA = new ScriptedServer(FAILING); ScriptedServer ourB = new ScriptedServer(GOOD);
             ScriptedServer checks = new ScriptedServer(null)) {
            int theirAPort = c.refuseA() ? Ports.free() : theirA.address().getPort();
            int ourAPort = c.refuseA() ? Ports.free() : ourA.address().getPort();
            int theirPort = Ports.free();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(c, theirPort, theirAPort, theirB.address().getPort(),
                    checks.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(c, Ports.free(), ourAPort,
                    ourB.address().getPort(), checks.address().getPort()), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                List<String> expected = observe(new InetSocketAddress("127.0.0.1", theirPort));
                List<String> actual = observe((InetSocketAddress) balancer.boundAddresses().getFirst());
                assertEquals(expected, actual, c.name());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.deleteIfExists(dir);
        }
    }
}
