package dev.sluice.balancer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.http.HttpRefusal;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.Ports;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Per-server queues, {@code maxqueue} and {@code timeout queue} over real connections. */
class QueueIT {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final long WAIT_NANOS = 5_000_000_000L;

    private static String config(int port, String backendLines) {
        return """
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
                %s
                """.formatted(port, backendLines);
    }

    private static String get(String path, String cookie) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n";
    }

    private static void awaitHeads(ScriptedServer server, int count) {
        long deadline = System.nanoTime() + WAIT_NANOS;
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

    private static void awaitQueued(RunningBalancer balancer, int count) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        var server = balancer.backend("be").servers().getFirst();
        while (server.queued() + balancer.backend("be").queued() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " request(s) did not queue");
            }
            Thread.onSpinWait();
        }
    }

    private static String path(String head) {
        return head.substring(4, head.indexOf(' ', 4));
    }

    @Test
    void queuedRequestsAreServedInArrivalOrder() {
        CountDownLatch release = new CountDownLatch(1);
        int port = Ports.free();
        try (ScriptedServer server = new ScriptedServer(OK).holdFirstReplyUntil(release);
             RunningBalancer balancer = FromConfig.start(config(port, "  timeout queue 5s\n  server s1 "
                     + server.address().getHostString() + ":" + server.address().getPort() + " maxconn 1"));
             RawHttp c1 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c2 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c3 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c4 = RawHttp.to(balancer.boundAddresses().getFirst())) {
            c1.send(get("/1", null));
            awaitHeads(server, 1);
            c2.send(get("/2", null));
            awaitQueued(balancer, 1);
            c3.send(get("/3", null));
            awaitQueued(balancer, 2);
            c4.send(get("/4", null));
            awaitQueued(balancer, 3);
            assertEquals(3, balancer.backend("be").maxQueued());
            release.countDown();
            for (RawHttp client : List.of(c1, c2, c3, c4)) {
                assertEquals(200, client.read().status());
            }
            assertEquals(List.of("/1", "/2", "/3", "/4"), server.heads().stream().map(QueueIT::path).toList());
        }
    }

    @Test
    void aPersistentRequestWaitsForItsServerAndAFullMaxqueueAnswers503() {
        CountDownLatch release = new CountDownLatch(1);
        int port = Ports.free();
        try (ScriptedServer s1 = new ScriptedServer(OK).holdFirstReplyUntil(release);
             ScriptedServer s2 = new ScriptedServer(OK);
             RunningBalancer balancer = FromConfig.start(config(port, """
                       cookie SRV insert indirect
                       timeout queue 5s
                       server s1 127.0.0.1:%d cookie A maxconn 1 maxqueue 1
                       server s2 127.0.0.1:%d cookie B
                     """.formatted(s1.address().getPort(), s2.address().getPort())));
             RawHttp c1 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c2 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c3 = RawHttp.to(balancer.boundAddresses().getFirst())) {
            c1.send(get("/1", "SRV=A"));
            awaitHeads(s1, 1);
            // s1 is full: the sticky request waits for s1 rather than going to s2, which has room.
            c2.send(get("/2", "SRV=A"));
            awaitQueued(balancer, 1);
            assertEquals(1, balancer.backend("be").servers().getFirst().queued());
            // s1's queue is full and there is no 'option redispatch': 503 at once.
            assertEquals(503, c3.send(get("/3", "SRV=A")).read().status());
            assertEquals(1, balancer.httpFrontend("fe").refusals(HttpRefusal.QUEUE_FULL));
            release.countDown();
            assertEquals(200, c1.read().status());
            assertEquals(200, c2.read().status());
            assertEquals(0, s2.heads().size());
            assertEquals(List.of("/1", "/2"), s1.heads().stream().map(QueueIT::path).toList());
        }
    }

    @Test
    void withRedispatchAFullMaxqueueSendsThePersistentRequestElsewhereWithANewCookie() {
        CountDownLatch release = new CountDownLatch(1);
        int port = Ports.free();
        try (ScriptedServer s1 = new ScriptedServer(OK).holdFirstReplyUntil(release);
             ScriptedServer s2 = new ScriptedServer(OK);
             RunningBalancer balancer = FromConfig.start(config(port, """
                       cookie SRV insert indirect
                       option redispatch
                       timeout queue 5s
                       server s1 127.0.0.1:%d cookie A maxconn 1 maxqueue 1
                       server s2 127.0.0.1:%d cookie B
                     """.formatted(s1.address().getPort(), s2.address().getPort())));
             RawHttp c1 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c2 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c3 = RawHttp.to(balancer.boundAddresses().getFirst())) {
            c1.send(get("/1", "SRV=A"));
            awaitHeads(s1, 1);
            c2.send(get("/2", "SRV=A"));
            awaitQueued(balancer, 1);
            RawHttp.Response moved = c3.send(get("/3", "SRV=A")).read();
            assertEquals(200, moved.status());
            assertEquals("SRV=B; path=/", moved.header("Set-Cookie"));
            assertEquals(List.of("/3"), s2.heads().stream().map(QueueIT::path).toList());
            release.countDown();
            assertEquals(200, c1.read().status());
            assertEquals(200, c2.read().status());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRequestStillQueuedAfterTimeoutQueueGets503() {
        CountDownLatch never = new CountDownLatch(1);
        int port = Ports.free();
        try (ScriptedServer server = new ScriptedServer(OK).holdFirstReplyUntil(never);
             RunningBalancer balancer = FromConfig.start(config(port, """
                       cookie SRV insert
                       timeout queue 300ms
                       server s1 127.0.0.1:%d cookie A maxconn 1 maxqueue 2
                     """.formatted(server.address().getPort())));
             RawHttp c1 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c2 = RawHttp.to(balancer.boundAddresses().getFirst());
             RawHttp c3 = RawHttp.to(balancer.boundAddresses().getFirst())) {
            c1.send(get("/1", "SRV=A"));
            awaitHeads(server, 1);
            c2.send(get("/2", "SRV=A"));
            c3.send(get("/3", null));
            assertEquals(503, c2.read().status());
            assertEquals(503, c3.read().status());
            assertEquals(2, balancer.httpFrontend("fe").refusals(HttpRefusal.QUEUE_TIMEOUT));
            assertEquals(0, balancer.backend("be").servers().getFirst().queued());
        } finally {
            never.countDown();
        }
    }
}
