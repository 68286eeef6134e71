package dev.sluice.balancer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs each config of {@code deploy/examples/} (its addresses moved to free loopback ports) in the
 * real balancer process, in front of real backend processes (the demo backend, one per server),
 * and checks the split of new visitors, stickiness, forced variants, and that stopping the
 * process a session sticks to redispatches that session to a live server with a new cookie.
 */
class ExamplesIT {
    private static final Duration START = Duration.ofSeconds(20);
    private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*server\\s+(\\S+)\\s+)(127\\.0\\.0\\.1:\\d+)");
    private static final Pattern BIND = Pattern.compile("(?m)^(\\s*bind\\s+)(127\\.0\\.0\\.1:\\d+)");

    private final List<ExternalProcess> processes = new ArrayList<>();
    /** Example address -> the backend process serving it. */
    private final Map<String, ExternalProcess> backends = new HashMap<>();
    private Path dir;

    @AfterEach
    void stop() throws IOException {
        for (ExternalProcess process : processes) {
            process.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("example.cfg"));
            Files.deleteIfExists(dir);
        }
    }

    /** Starts the example with its addresses substituted; returns the frontend's address. */
    private InetSocketAddress run(String example) throws IOException {
        String text = Files.readString(Sluice.root().resolve("deploy/examples").resolve(example));
        Map<String, String> moved = new LinkedHashMap<>();
        Matcher servers = SERVER.matcher(text);
        while (servers.find()) {
            String original = servers.group(3);
            if (!moved.containsKey(original)) {
                int port = Ports.free();
                moved.put(original, "127.0.0.1:" + port);
                ExternalProcess backend = ExternalProcess.start(servers.group(2), List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                        "-Xmx64m", "-cp", Sluice.root().resolve("balancer/target/sluice-balancer.jar").toString(),
                        "dev.sluice.balancer.demo.DemoBackend", Integer.toString(port), servers.group(2)));
                processes.add(backend);
                backends.put(original, backend);
                backend.awaitListening("127.0.0.1", port, START);
            }
        }
        int front = Ports.free();
        String substituted = SERVER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + moved.get(m.group(3))));
        substituted = BIND.matcher(substituted).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "127.0.0.1:" + front));
        dir = Files.createTempDirectory("sluice-example-");
        Path cfg = dir.resolve("example.cfg");
        Files.writeString(cfg, substituted);
        ExternalProcess balancer = Sluice.balancer("-db", "-f", cfg.toString());
        processes.add(balancer);
        balancer.awaitListening("127.0.0.1", front, START);
        return new InetSocketAddress("127.0.0.1", front);
    }

    /** One request on a new connection: who served it, and the cookie set (name=value) if any. */
    private record Visit(String server, String setCookie, int status) {
    }

    private static Visit visit(InetSocketAddress front, String target, String cookie) {
        try (RawHttp client = RawHttp.to(front)) {
            client.setTimeout(5_000);
            RawHttp.Response response = client.send("GET " + target + " HTTP/1.1\r\nHost: example\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n").read();
            String text = response.text();
            String setCookie = response.header("Set-Cookie");
            return new Visit(text.substring(0, Math.max(0, text.indexOf(':'))),
                    setCookie == null ? null : setCookie.substring(0, setCookie.indexOf(';')), response.status());
        }
    }

    @Test
    void abTestingSplitsNewVisitorsKeepsThemAndForcesAVariant() throws IOException {
        InetSocketAddress front = run("ab-testing.cfg");
        Map<String, Integer> split = new HashMap<>();
        Map<String, String> cookieOf = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            Visit v = visit(front, "/", null);
            assertEquals(200, v.status());
            split.merge(v.server(), 1, Integer::sum);
            assertEquals("AB=" + v.server(), v.setCookie());
            cookieOf.put(v.server(), v.setCookie());
        }
        // 90:10 by weight; each event loop runs its own smooth round robin, hence the margin.
        int b = split.getOrDefault("b1", 0);
        assertTrue(b >= 5 && b <= 15, "variant B share of 100 new visitors: " + split);
        for (String server : List.of("a1", "b1")) {
            for (int i = 0; i < 10; i++) {
                Visit v = visit(front, "/page" + i, cookieOf.get(server));
                assertEquals(server, v.server());
                assertNull(v.setCookie(), "a visitor with a valid cookie gets no new one");
            }
        }
        assertEquals("b1", visit(front, "/?variant=b", cookieOf.get("a1")).server());

        // Variant B's process stops: its visitors are redispatched to A and re-stamped.
        backends.get("127.0.0.1:9002").close();
        Visit moved = visit(front, "/", cookieOf.get("b1"));
        assertEquals(200, moved.status());
        assertEquals("a1", moved.server());
        assertEquals("AB=a1", moved.setCookie());
    }

    @Test
    void stagedDeployGivesTheNewVersionItsShareAndKeepsSessions() throws IOException {
        InetSocketAddress front = run("staged-deploy.cfg");
        Map<String, Integer> split = new HashMap<>();
        Map<String, String> cookieOf = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            Visit v = visit(front, "/", null);
            assertEquals(200, v.status());
            split.merge(v.server(), 1, Integer::sum);
            assertNotNull(v.setCookie());
            assertTrue(v.setCookie().startsWith("VER=" + v.server().replace("-", "") + "|"), v.setCookie());
            cookieOf.put(v.server(), v.setCookie());
        }
        // Weights 100:100:50 -> v2 takes a fifth of new sessions.
        int v2 = split.getOrDefault("v2-a", 0);
        assertTrue(v2 >= 14 && v2 <= 26, "v2 share of 100 new sessions: " + split);
        for (Map.Entry<String, String> session : cookieOf.entrySet()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(session.getKey(), visit(front, "/step" + i, session.getValue()).server());
            }
        }

        backends.get("127.0.0.1:9201").close();
        Visit moved = visit(front, "/", cookieOf.get("v2-a"));
        assertEquals(200, moved.status());
        assertTrue(moved.server().startsWith("v1-"), moved.server());
        assertTrue(moved.setCookie().startsWith("VER=" + moved.server().replace("-", "") + "|"), moved.setCookie());
    }
}
