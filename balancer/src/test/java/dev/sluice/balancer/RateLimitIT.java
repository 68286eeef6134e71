package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.Ports;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rate-limit sessions}, {@code maxconnrate} and {@code maxsessrate}: a burst of connections
 * against 5 per second is served in full but spread over time (the listener pauses and clients
 * wait in the backlog) rather than at once. Bounds are loose: at least half the ideal spread,
 * and everything within a generous deadline.
 */
class RateLimitIT {

    private static final int RATE = 5;
    private static final int CLIENTS = 15;
    /** 15 connections at 5 a second: the last is served about 2 s after the first. */
    private static final Duration MIN_SPREAD = Duration.ofMillis(1_000);
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @ParameterizedTest
    @ValueSource(strings = {"global\n  maxconnrate %d\n", "global\n  maxsessrate %d\n", "frontend-rate"})
    void aBurstIsSpreadAtTheRate(String where) throws Exception {
        int port = Ports.free();
        try (ScriptedServer app = new ScriptedServer(REPLY)) {
            String global = where.equals("frontend-rate") ? "" : where.formatted(RATE);
            String frontRate = where.equals("frontend-rate") ? "  rate-limit sessions " + RATE + "\n" : "";
            String text = global + """
                    defaults
                      mode http
                      timeout connect 2s
                      timeout client 30s
                      timeout server 30s
                    frontend fe
                      bind 127.0.0.1:%d
                    %s  default_backend be
                    backend be
                      server s 127.0.0.1:%d
                    """.formatted(port, frontRate, app.address().getPort());
            LoadResult loaded = ConfigLoader.parse("rate.cfg", text, Map.of());
            assertTrue(loaded.isValid(), loaded.render());
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                long start = System.nanoTime();
                List<Future<Long>> done = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    done.add(pool.submit(() -> {
                        try (Socket socket = new Socket("127.0.0.1", port)) {
                            socket.setSoTimeout((int) DEADLINE.toMillis());
                            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            String answer = new String(socket.getInputStream().readAllBytes(),
                                    StandardCharsets.ISO_8859_1);
                            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                            return System.nanoTime() - start;
                        }
                    }));
                }
                long first = Long.MAX_VALUE;
                long last = 0;
                for (Future<Long> f : done) {
                    long at = f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                    first = Math.min(first, at);
                    last = Math.max(last, at);
                }
                assertEquals(CLIENTS, done.size());
                assertTrue(last - first >= MIN_SPREAD.toNanos(), "served within " + (last - first) / 1_000_000
                        + " ms: not spread at " + RATE + "/s");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
