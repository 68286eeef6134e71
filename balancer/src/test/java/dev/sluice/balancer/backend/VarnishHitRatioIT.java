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
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Three real Varnish caches (Debian's varnishd) in front of one origin, behind the balancer twice: once with
 * {@code balance uri} + {@code hash-type consistent}, once with {@code roundrobin}. Each backend warms its own
 * objects, then a cache is put in maintenance (runtime API), the objects are requested again, the cache is made
 * ready again and the objects are requested a third time (each round in its own shuffled order). A hit is a response whose {@code X-Varnish} header
 * carries two ids. Consistent hashing must reach the higher hit ratio over the last two rounds, and after the
 * cache comes back every object must find the cache that already holds it.
 */
class VarnishHitRatioIT {
    private static final int CACHES = 3;
    private static final int OBJECTS = 300;
    private static final Duration START = Duration.ofSeconds(20);
    /** After the removed cache is back, consistent hashing sends each object to the cache that holds it. */
    private static final double MIN_READD_HIT_RATIO = 0.95;

    private record Round(int hits, int requests) {
        double ratio() {
            return (double) hits / requests;
        }
    }

    @Test
    void consistentHashingKeepsAHigherHitRatioThanRoundRobinWhenACacheLeavesAndReturns() throws Exception {
        List<Path> dirs = new ArrayList<>();
        List<ExternalProcess> caches = new ArrayList<>();
        try (NamedServer origin = new NamedServer("origin")) {
            int[] cachePorts = new int[CACHES];
            for (int c = 0; c < CACHES; c++) {
                cachePorts[c] = Ports.free();
                Path dir = Files.createTempDirectory("varnish-" + c + "-");
                dirs.add(dir);
                // -j none: no privilege separation, so the VCL compiler may write into our private temp dir.
                caches.add(ExternalProcess.start("varnish-c" + (c + 1), List.of(Sluice.tool("varnishd"), "-F",
                        "-j", "none",
                        "-a", "127.0.0.1:" + cachePorts[c], "-b", "127.0.0.1:" + origin.address().getPort(),
                        "-n", dir.toString(), "-s", "malloc,16m", "-t", "3600")));
            }
            for (int c = 0; c < CACHES; c++) {
                caches.get(c).awaitListening("127.0.0.1", cachePorts[c], START);
            }
            int cli = Ports.free();
            int consistentPort = Ports.free();
            int roundRobinPort = Ports.free();
            StringBuilder text = new StringBuilder("""
                    global
                      nbthread 1
                      stats socket ipv4@127.0.0.1:%d level admin
                    defaults
                      mode http
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                    frontend fe_consistent
                      bind 127.0.0.1:%d
                      default_backend consistent
                    frontend fe_rr
                      bind 127.0.0.1:%d
                      default_backend rr
                    """.formatted(cli, consistentPort, roundRobinPort));
            for (String backend : List.of("consistent", "rr")) {
                text.append("backend ").append(backend).append('\n').append(backend.equals("rr")
                        ? "  balance roundrobin\n" : "  balance uri\n  hash-type consistent\n");
                for (int c = 0; c < CACHES; c++) {
                    text.append("  server c").append(c + 1).append(" 127.0.0.1:").append(cachePorts[c]).append('\n');
                }
            }
            LoadResult loaded = ConfigLoader.parse("varnish.cfg", text.toString(), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.render());
            try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                Round[] consistent = rounds(balancer, consistentPort, cli, "consistent");
                Round[] roundRobin = rounds(balancer, roundRobinPort, cli, "rr");
                for (String line : List.of(report("balance uri + consistent", consistent),
                        report("roundrobin", roundRobin))) {
                    System.out.println(line);
                }
                double consistentAfter = after(consistent);
                double roundRobinAfter = after(roundRobin);
                assertTrue(consistentAfter > roundRobinAfter, "consistent " + consistentAfter + " vs roundrobin "
                        + roundRobinAfter + describe(caches));
                assertTrue(consistent[2].ratio() >= MIN_READD_HIT_RATIO, "after re-adding: " + consistent[2].ratio());
            }
        } finally {
            for (ExternalProcess cache : caches) {
                cache.close();
            }
            for (Path dir : dirs) {
                deleteTree(dir);
            }
        }
    }

    /** Warm-up, with c2 in maintenance, and after c2 is ready again. */
    private static Round[] rounds(RunningBalancer balancer, int port, int cli, String backend) throws IOException {
        Round warm = round(balancer, port, backend, 1);
        assertEquals("", command(cli, "set server " + backend + "/c2 state maint").strip());
        Round removed = round(balancer, port, backend, 2);
        assertEquals("", command(cli, "set server " + backend + "/c2 state ready").strip());
        Round readded = round(balancer, port, backend, 3);
        return new Round[] {warm, removed, readded};
    }

    /**
     * Every object once, in an order shuffled with a fixed seed per round: real clients do not ask for objects in
     * the same order each time (the same order would line round robin's rotation up with the warm-up's).
     */
    private static Round round(RunningBalancer balancer, int port, String prefix, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < OBJECTS; k++) {
            order.add(k);
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        int hits = 0;
        try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
            for (int k : order) {
                RawHttp.Response response = client.send("GET /" + prefix + "/objects/" + k
                        + ".bin HTTP/1.1\r\nHost: cache\r\n\r\n").read();
                assertEquals(200, response.status());
                String ids = response.header("X-Varnish");
                assertTrue(ids != null, "a Varnish answered");
                if (ids.trim().split(" +").length == 2) {
                    hits++;
                }
            }
        }
        return new Round(hits, OBJECTS);
    }

    private static double after(Round[] rounds) {
        return (double) (rounds[1].hits() + rounds[2].hits()) / (rounds[1].requests() + rounds[2].requests());
    }

    private static String report(String name, Round[] rounds) {
        return "varnish x" + CACHES + ", " + OBJECTS + " objects, " + name + ": warm-up hits " + rounds[0].hits()
                + ", c2 in maintenance " + rounds[1].hits() + "/" + OBJECTS + ", c2 back " + rounds[2].hits() + "/"
                + OBJECTS + ", hit ratio after removal " + String.format("%.3f", after(rounds));
    }

    private static String command(int port, String line) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String describe(List<ExternalProcess> caches) {
        StringBuilder b = new StringBuilder();
        caches.forEach(c -> b.append('\n').append(c.describe()));
        return b.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
