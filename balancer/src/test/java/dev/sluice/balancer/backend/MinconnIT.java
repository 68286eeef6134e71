package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.NamedServer;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.Ports;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code minconn} with {@code fullconn} over real connections: under low backend load a server takes only
 * {@code minconn} requests at once and the rest queue; with a small {@code fullconn} the same load lifts the
 * limit towards {@code maxconn} and nothing queues.
 */
class MinconnIT {
    private static final long WAIT_NANOS = 5_000_000_000L;
    private static final int HELD = 2;
    private static final int MORE = 3;

    private static RunningBalancer start(int fullconn, NamedServer server) {
        String text = """
                global
                  nbthread 1
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend be
                backend be
                  fullconn %d
                  timeout queue 5s
                  server s1 127.0.0.1:%d minconn 2 maxconn 50
                """.formatted(Ports.free(), fullconn, server.address().getPort());
        LoadResult loaded = ConfigLoader.parse("minconn.cfg", text, Map.of());
        assertTrue(loaded.config().isPresent(), loaded.render());
        return Balancer.start(Compiler.compile(loaded.config().get()).plan());
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Sends two held requests then three plain ones; returns the server's busy count and the queue once settled. */
    private static int[] load(int fullconn, boolean expectQueue) {
        try (NamedServer server = new NamedServer("s1");
             RunningBalancer balancer = start(fullconn, server)) {
            Backend backend = balancer.backend("be");
            Server s1 = backend.servers().getFirst();
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < HELD + MORE; i++) {
                    RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst());
                    clients.add(client);
                    client.send("GET " + (i < HELD ? "/hold" : "/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    if (i == HELD - 1) {
                        await("the held requests reach the server", () -> s1.busy() == HELD);
                    }
                }
                if (expectQueue) {
                    await("three requests queue", () -> backend.queued() == MORE);
                } else {
                    for (int i = HELD; i < HELD + MORE; i++) {
                        assertEquals(200, clients.get(i).read().status());
                    }
                }
                int[] seen = {s1.busy(), backend.queued()};
                server.release();
                for (RawHttp client : clients.subList(0, expectQueue ? clients.size() : HELD)) {
                    assertEquals(200, client.read().status());
                }
                return seen;
            } finally {
                clients.forEach(RawHttp::close);
            }
        }
    }

    @Test
    void underLowLoadAServerTakesOnlyMinconnAndTheRestQueue() {
        // Load 2..5 of fullconn 1000: 5 × 50 / 1000 = 0, so minconn 2 is the limit.
        int[] seen = load(1000, true);
        assertEquals(HELD, seen[0]);
        assertEquals(MORE, seen[1]);
        System.out.printf("minconn 2 maxconn 50 fullconn 1000: %d served, %d queued%n", seen[0], seen[1]);
    }

    @Test
    void aSmallFullconnLiftsTheLimitAndNothingQueues() {
        // Load 2 of fullconn 4: 2 × 50 / 4 = 25, so the plain requests pass the two held ones.
        int[] seen = load(4, false);
        assertEquals(HELD, seen[0]);
        assertEquals(0, seen[1]);
        System.out.printf("minconn 2 maxconn 50 fullconn 4: %d held, 0 queued, 3 served past them%n", seen[0]);
    }
}
