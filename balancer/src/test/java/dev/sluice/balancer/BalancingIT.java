package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.demo.DemoBackend;
import dev.sluice.balancer.runtime.HttpReuse;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.http.HttpRefusal;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which server answers: weights, disabled and backup servers, over real connections. */
class BalancingIT {

    private static Map<String, Integer> spread(RunningBalancer balancer, int requests) {
        Map<String, Integer> counts = new HashMap<>();
        try (RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            for (int i = 0; i < requests; i++) {
                String text = client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().text();
                counts.merge(text.substring(0, text.indexOf(':')), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void weightsShareRequestsProportionally() {
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend b = DemoBackend.start(0, "b");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 3, 0, false, false, 1))
                     .server(new ServerPlan("b", b.address(), 1, 0, false, false, 2)).build())) {
            assertEquals(Map.of("a", 30, "b", 10), spread(balancer, 40));
        }
    }

    @Test
    void disabledServersGetNothingAndBackupsWaitForNeed() {
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend b = DemoBackend.start(0, "b");
             DemoBackend c = DemoBackend.start(0, "c");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 1, 0, false, false, 1))
                     .server(new ServerPlan("b", b.address(), 1, 0, true, false, 2))
                     .server(new ServerPlan("c", c.address(), 1, 0, false, true, 3)).build())) {
            assertEquals(Map.of("a", 6), spread(balancer, 6));
        }
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend c = DemoBackend.start(0, "c");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 1, 0, true, false, 1))
                     .server(new ServerPlan("c", c.address(), 1, 0, false, true, 2)).build())) {
            assertEquals(Map.of("c", 4), spread(balancer, 4));
        }
    }

    @Test
    void aFullServerIsSkipped() {
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend b = DemoBackend.start(0, "b");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 1, 1, false, false, 1))
                     .server(new ServerPlan("b", b.address(), 1, 0, false, false, 2)).build())) {
            // Sequential requests never fill a (maxconn 1), so both share.
            assertEquals(Map.of("a", 2, "b", 2), spread(balancer, 4));
        }
    }

    @Test
    void requestsQueueForAFullServer() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                     .holdFirstReplyUntil(release);
             // http-reuse always: under the default (safe) a client's first request never takes an idle connection.
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1).reuse(HttpReuse.ALWAYS)
                     .server(new ServerPlan("a", server.address(), 1, 1, false, false, 1)).build());
             RawHttp first = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp second = RawHttp.to(balancer.boundAddresses().getFirst())) {
            first.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            awaitHeads(server, 1);
            second.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(200);
            assertEquals(1, server.heads().size(), "the second request must wait for the slot");
            release.countDown();
            assertEquals(200, first.read().status());
            assertEquals(200, second.read().status());
            assertEquals(1, server.connections(), "the queued request reused the freed connection");
        }
    }

    @Test
    void queueTimeoutAnswers503() {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        Timeouts quickQueue = Plans.TIMEOUTS.withQueue(java.time.Duration.ofMillis(300));
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                     .holdFirstReplyUntil(never);
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1).backTimeouts(quickQueue)
                     .server(new ServerPlan("a", server.address(), 1, 1, false, false, 1)).build());
             RawHttp first = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp second = RawHttp.to(balancer.boundAddresses().getFirst())) {
            first.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            awaitHeads(server, 1);
            assertEquals(503, second.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
            assertEquals(1, balancer.httpFrontend("fe").refusals(HttpRefusal.QUEUE_TIMEOUT));
        } finally {
            never.countDown();
        }
    }

    private static void awaitHeads(ScriptedServer server, int count) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.heads().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not get " + count + " request(s)");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void redispatchMovesARequestOffADeadServer() {
        java.net.InetSocketAddress dead = new java.net.InetSocketAddress("127.0.0.1", dev.sluice.testkit.Ports.free());
        try (DemoBackend alive = DemoBackend.start(0, "alive");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1).retries(1).redispatch()
                     .server(ServerPlan.of("dead", dead)).server(ServerPlan.of("alive", alive.address())).build())) {
            // Round-robin sends the first request to the dead server: its one retry goes elsewhere.
            assertEquals(Map.of("alive", 4), spread(balancer, 4));
        }
    }

    @Test
    void withoutRedispatchTheDeadServersTurnFails() {
        java.net.InetSocketAddress dead = new java.net.InetSocketAddress("127.0.0.1", dev.sluice.testkit.Ports.free());
        try (DemoBackend alive = DemoBackend.start(0, "alive");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1).retries(1)
                     .server(ServerPlan.of("dead", dead)).server(ServerPlan.of("alive", alive.address())).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(503, client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
        }
    }
}
