package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.check.CheckStatus;
import dev.sluice.balancer.check.HttpProbe;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.demo.DemoBackend;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health checks against real servers: TCP connect checks, httpchk forms, and what a DOWN server receives. */
class HealthCheckIT {
    private static final Duration INTER = Duration.ofMillis(100);
    /** Scheduling slack on a busy 2-CPU machine, on top of HAProxy's detection bound. */
    private static final long SLACK_MILLIS = 1_500;

    /** Polls {@code condition} every 10 ms; returns the milliseconds it took, or -1 after {@code limitMillis}. */
    private static long await(BooleanSupplier condition, long limitMillis) {
        long start = System.nanoTime();
        long deadline = start + limitMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    private static Server server(RunningBalancer balancer, String name) {
        return balancer.backends().get("be").server(name);
    }

    private static Map<String, Integer> spread(RunningBalancer balancer, int requests) {
        Map<String, Integer> counts = new HashMap<>();
        try (RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            for (int i = 0; i < requests; i++) {
                RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read();
                String text = response.text();
                String key = response.status() == 200 ? text.substring(0, text.indexOf(':'))
                        : "status " + response.status() + " " + text;
                counts.merge(key, 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void aServerSwitchedOffAndOnIsMarkedDownAndUpWithinInterTimesFall() {
        int port = Ports.free();
        ServerHealth health = ServerHealth.tcp(INTER, 2, 2);
        DemoBackend a = DemoBackend.start(port, "a");
        try (DemoBackend b = DemoBackend.start(0, "b");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 1, 0, false, false, 1).withHealth(health))
                     .server(new ServerPlan("b", b.address(), 1, 0, false, false, 2).withHealth(health)).build())) {
            Server serverA = server(balancer, "a");
            assertTrue(await(() -> serverA.state().lastCheck().status() == CheckStatus.L4OK, 2_000) >= 0);
            assertEquals(Map.of("a", 5, "b", 5), spread(balancer, 10));

            a.close();
            long bound = INTER.toMillis() * health.fall() + health.readTimeout().toMillis();
            long down = await(() -> !serverA.usable(), bound + SLACK_MILLIS);
            assertTrue(down >= 0, "not marked DOWN; state " + serverA.state().describe());
            assertEquals(CheckStatus.L4CON, serverA.state().lastCheck().status());
            assertEquals("Connection refused", serverA.state().lastCheck().info());
            assertEquals(Map.of("b", 10), spread(balancer, 10), "a DOWN server receives no traffic");

            a = DemoBackend.start(port, "a");
            long up = await(serverA::usable, INTER.toMillis() * health.rise() + bound + SLACK_MILLIS);
            assertTrue(up >= 0, "not marked UP; state " + serverA.state().describe());
            assertEquals(Map.of("a", 5, "b", 5), spread(balancer, 10));
            System.out.printf("detection: DOWN after %d ms (bound %d), UP after %d ms%n", down, bound, up);
        } finally {
            a.close();
        }
    }

    private static void checkVerdict(String reply, HttpProbe.Expect expect, boolean usable, CheckStatus status) {
        try (ScriptedServer app = new ScriptedServer(reply).closeAfterReply();
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", app.address(), 1, 0, false, false, 1)
                             .withHealth(ServerHealth.tcp(INTER, 1, 1).withHttp(HttpProbe.DEFAULT.withExpect(expect))))
                     .build())) {
            Server server = server(balancer, "a");
            assertTrue(await(() -> server.state().lastCheck().status() != CheckStatus.INI, 2_000) >= 0);
            assertEquals(status, server.state().lastCheck().status(), expect + " against " + reply);
            assertEquals(usable, server.usable(), expect + " against " + reply);
            assertTrue(app.heads().getFirst().startsWith("OPTIONS / HTTP/1.0\r\n"), app.heads().getFirst());
        }
    }

    @Test
    void httpchkExpectForms() {
        String unavailable = "HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
        String ready = "HTTP/1.0 200 OK\r\nContent-Length: 9\r\n\r\nall ready";
        checkVerdict(unavailable, HttpProbe.Expect.DEFAULT, false, CheckStatus.L7STS);
        checkVerdict(ready, HttpProbe.Expect.DEFAULT, true, CheckStatus.L7OK);
        checkVerdict(unavailable, new HttpProbe.Expect(HttpProbe.Expect.Kind.STATUS, false, "503"), true,
                CheckStatus.L7OK);
        checkVerdict(unavailable, new HttpProbe.Expect(HttpProbe.Expect.Kind.STATUS, true, "503"), false,
                CheckStatus.L7STS);
        checkVerdict(ready, new HttpProbe.Expect(HttpProbe.Expect.Kind.STRING, false, "ready"), true, CheckStatus.L7OK);
        checkVerdict(ready, new HttpProbe.Expect(HttpProbe.Expect.Kind.RSTRING, true, "^all"), false,
                CheckStatus.L7RSP);
        checkVerdict(ready, new HttpProbe.Expect(HttpProbe.Expect.Kind.RSTATUS, false, "^2"), true, CheckStatus.L7OK);
    }

    @Test
    void aSilentServerTimesOut() {
        try (ScriptedServer app = new ScriptedServer(null);
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", app.address(), 1, 0, false, false, 1)
                             .withHealth(ServerHealth.tcp(INTER, 1, 1).withHttp(HttpProbe.DEFAULT))).build())) {
            Server server = server(balancer, "a");
            assertTrue(await(() -> !server.usable(), 3_000) >= 0);
            assertEquals(CheckStatus.L7TOUT, server.state().lastCheck().status());
        }
    }

    /** The same config text drives haproxy and sluice; both check requests must be byte for byte the same. */
    @Test
    void httpchkRequestsMatchHaproxys(@TempDir Path dir) throws Exception {
        String reply = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
        for (String check : List.of("option httpchk",
                "option httpchk GET /health HTTP/1.1\\r\\nHost:\\ www.x.com",
                "option httpchk HEAD /h\n    http-check send hdr Host foo.example hdr X-A b body hello",
                "option httpchk\n    http-check send meth POST uri /p ver HTTP/1.1 hdr Host h\n"
                        + "    http-check expect status 200")) {
            try (ScriptedServer theirs = new ScriptedServer(reply).closeAfterReply();
                 ScriptedServer ours = new ScriptedServer(reply).closeAfterReply()) {
                String template = """
                        defaults
                            mode http
                            timeout connect 1s
                            timeout client 5s
                            timeout server 5s
                        frontend f
                            bind 127.0.0.1:%d
                            default_backend b
                        backend b
                            %s
                            server s 127.0.0.1:%d check inter 200
                        """;
                Path file = dir.resolve("h.cfg");
                Files.writeString(file, template.formatted(Ports.free(), check, theirs.address().getPort()));
                LoadResult loaded = ConfigLoader.parse("h.cfg",
                        template.formatted(Ports.free(), check, ours.address().getPort()), Map.of());
                assertTrue(loaded.isValid(), loaded.render());
                RuntimePlan plan = Compiler.compile(loaded.config().orElseThrow()).plan();
                try (ExternalProcess haproxy = ExternalProcess.start("haproxy-checks",
                        List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()));
                     RunningBalancer balancer = Balancer.start(plan)) {
                    assertTrue(await(() -> !theirs.heads().isEmpty() && !ours.heads().isEmpty(), 5_000) >= 0,
                            "no check arrived; haproxy: " + haproxy.output());
                    assertEquals(theirs.heads().getFirst(), ours.heads().getFirst(), check);
                    assertTrue(await(() -> balancer.backends().get("b").server("s").state().lastCheck().passed(),
                            2_000) >= 0);
                }
            }
        }
    }

    @Test
    void aDownServerLeavesTheBackendAndTheLastOneLeavesNothingToPick() {
        int port = Ports.free();
        try (RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                .server(new ServerPlan("a", new java.net.InetSocketAddress("127.0.0.1", port), 1, 0, false, false, 1)
                        .withHealth(ServerHealth.tcp(INTER, 1, 1))).build())) {
            Backend backend = balancer.backends().get("be");
            assertTrue(await(() -> !backend.serverSet().hasUsableServer(), 2_000) >= 0);
            try (RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
                assertEquals(503, client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
            }
            assertFalse(backend.server("a").usable());
        }
    }

    @Test
    void adminCommandsSwitchEveryEventLoopToTheNewServerSet() {
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend b = DemoBackend.start(0, "b");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(2)
                     .server(new ServerPlan("a", a.address(), 1, 0, false, false, 1))
                     .server(new ServerPlan("b", b.address(), 1, 0, false, false, 2)).build())) {
            dev.sluice.balancer.admin.ServerAdmin admin = new dev.sluice.balancer.admin.ServerAdmin(balancer.backends());
            assertEquals(Map.of("a", 5, "b", 5), spread(balancer, 10));
            assertEquals("", admin.execute(List.of("set", "server", "be/a", "state", "drain")));
            assertEquals(Map.of("b", 10), spread(balancer, 10));
            assertEquals("", admin.execute(List.of("set", "server", "be/a", "state", "ready")));
            assertEquals("", admin.execute(List.of("set", "server", "be/b", "weight", "3")));
            assertEquals(Map.of("a", 2, "b", 6), spread(balancer, 8));
            assertEquals("", admin.execute(List.of("disable", "server", "be/b")));
            assertEquals(Map.of("a", 4), spread(balancer, 4));
        }
    }

    /** After a recovery the weight climbs from 1 to the full weight over {@code slowstart}, one step at a time. */
    @Test
    void slowstartRampsTheWeightInTheServerSet() {
        int port = Ports.free();
        ServerHealth health = ServerHealth.tcp(INTER, 1, 1).withSlowstart(Duration.ofSeconds(3));
        DemoBackend a = DemoBackend.start(port, "a");
        try (DemoBackend b = DemoBackend.start(0, "b");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 100, 0, false, false, 1).withHealth(health))
                     .server(new ServerPlan("b", b.address(), 100, 0, false, false, 2)).build())) {
            Backend backend = balancer.backends().get("be");
            java.util.function.IntSupplier weightOfA = () -> backend.serverSet().inUse().stream()
                    .filter(c -> c.name().equals("a")).mapToInt(c -> c.weight()).findFirst().orElse(0);
            assertEquals(100, weightOfA.getAsInt(), "no ramp at start-up");
            a.close();
            assertTrue(await(() -> weightOfA.getAsInt() == 0, 3_000) >= 0, "a left the set");
            a = DemoBackend.start(port, "a");
            assertTrue(await(() -> weightOfA.getAsInt() > 0, 3_000) >= 0, "a is back");
            int first = weightOfA.getAsInt();
            assertTrue(first < 60, "starts low: " + first);
            assertTrue(await(() -> weightOfA.getAsInt() > first && weightOfA.getAsInt() < 100, 3_000) >= 0,
                    "climbs in steps: " + weightOfA.getAsInt());
            assertTrue(await(() -> weightOfA.getAsInt() == 100, 6_000) >= 0, "reaches the full weight");
            assertTrue(await(() -> backend.server("a").state().operationalCode() == 2, 3_000) >= 0, "running");
        } finally {
            a.close();
        }
    }

    /** One check per interval, not more: a stable UP server is checked every {@code inter}. */
    @Test
    void checksRunOncePerInterval() throws InterruptedException {
        String reply = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
        try (ScriptedServer app = new ScriptedServer(reply).closeAfterReply();
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(2)
                     .server(new ServerPlan("a", app.address(), 1, 0, false, false, 1)
                             .withHealth(ServerHealth.tcp(Duration.ofMillis(200), 1, 1).withHttp(HttpProbe.DEFAULT)))
                     .build())) {
            assertTrue(await(() -> app.connections() > 0, 2_000) >= 0);
            int before = app.connections();
            Thread.sleep(2_000);
            int checks = app.connections() - before;
            assertTrue(checks >= 5 && checks <= 11, "checks in 2 s at inter 200 ms: " + checks);
        }
    }
}
