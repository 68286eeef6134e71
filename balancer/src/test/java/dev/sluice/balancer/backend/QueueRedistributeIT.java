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
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests queued on a server (persistence or hashing sent them there, its {@code maxconn} 1 is taken) when that
 * server goes into maintenance (runtime API) or DOWN (health check): with {@code option redispatch} the other
 * server serves them, as HAProxy's {@code pendconn_redistribute} does; without it they wait until
 * {@code timeout queue}.
 */
class QueueRedistributeIT {
    private static final long WAIT_NANOS = 5_000_000_000L;
    private static final int QUEUED = 3;

    private record Setup(RunningBalancer balancer, int cliPort) {
    }

    /** @param serverOptions more options for s1 */
    private static Setup start(NamedServer s1, NamedServer s2, String backendLines, String serverOptions) {
        int cli = Ports.free();
        String text = """
                global
                  nbthread 1
                  stats socket ipv4@127.0.0.1:%d level admin
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
                  server s1 127.0.0.1:%d maxconn 1 cookie A %s
                  server s2 127.0.0.1:%d maxconn 10 cookie B
                """.formatted(cli, Ports.free(), backendLines, s1.address().getPort(), serverOptions,
                s2.address().getPort());
        LoadResult loaded = ConfigLoader.parse("redistribute.cfg", text, Map.of());
        assertTrue(loaded.config().isPresent(), loaded.render());
        return new Setup(Balancer.start(Compiler.compile(loaded.config().get()).plan()), cli);
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

    private static String cli(int port, String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** One held request on s1 (maxconn 1), then QUEUED more that must wait for s1; returns their clients. */
    private static List<RawHttp> fillAndQueue(RunningBalancer balancer, String holdTarget, String queuedTarget,
                                              String cookie, NamedServer s1, List<RawHttp> clients) throws Exception {
        Backend backend = balancer.backend("be");
        Server server = backend.server("s1");
        RawHttp holder = RawHttp.to(balancer.boundAddresses().getFirst());
        clients.add(holder);
        holder.send("GET " + holdTarget + " HTTP/1.1\r\nHost: x\r\n" + cookie + "\r\n");
        assertTrue(s1.awaitHeld(5_000), "the first request reaches s1 and is held");
        List<RawHttp> queued = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst());
            clients.add(client);
            queued.add(client);
            client.send("GET " + queuedTarget + " HTTP/1.1\r\nHost: x\r\n" + cookie + "\r\n");
        }
        await(QUEUED + " requests queue on s1", () -> server.queued() == QUEUED);
        return queued;
    }

    @Test
    void withRedispatchRequestsQueuedOnAServerPutInMaintenanceAreServedByTheOther() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        try (NamedServer s1 = new NamedServer("s1");
             NamedServer s2 = new NamedServer("s2")) {
            Setup setup = start(s1, s2, "  cookie SRV insert indirect\n  option redispatch\n  timeout queue 5s", "");
            try (RunningBalancer balancer = setup.balancer()) {
                List<RawHttp> queued = fillAndQueue(balancer, "/hold", "/q", "Cookie: SRV=A\r\n", s1, clients);
                assertEquals("", cli(setup.cliPort(), "set server be/s1 state maint").strip());
                for (RawHttp client : queued) {
                    RawHttp.Response response = client.read();
                    assertEquals(200, response.status());
                    assertEquals("s2", response.text());
                    assertEquals("SRV=B; path=/", response.header("Set-Cookie"));
                }
                assertEquals(0, balancer.backend("be").server("s1").queued());
                s1.release();
                assertEquals("s1", clients.getFirst().read().text(), "the request in flight finishes on s1");
            }
        } finally {
            clients.forEach(RawHttp::close);
        }
    }

    @Test
    void withRedispatchRequestsHashedToAServerThatGoesDownAreServedByTheOther() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        // s1's health is checked on a port of its own, so s1 can go DOWN while its request in flight goes on.
        java.net.ServerSocket checkPort = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        try (NamedServer s1 = new NamedServer("s1");
             NamedServer s2 = new NamedServer("s2")) {
            Setup setup = start(s1, s2, "  balance hash req.hdr(x-key)\n  option redispatch\n  timeout queue 5s",
                    "check port " + checkPort.getLocalPort() + " inter 100ms fall 1 rise 1");
            try (RunningBalancer balancer = setup.balancer()) {
                String key = "X-Key: " + keyHashedTo(balancer, "s1") + "\r\n";
                List<RawHttp> queued = fillAndQueue(balancer, "/hold", "/q", key, s1, clients);
                checkPort.close();
                for (RawHttp client : queued) {
                    RawHttp.Response response = client.read();
                    assertEquals(200, response.status());
                    assertEquals("s2", response.text());
                }
                assertTrue(!balancer.backend("be").server("s1").usable(), "s1 is DOWN");
                s1.release();
                assertEquals("s1", clients.getFirst().read().text(), "the request in flight finishes on s1");
            }
        } finally {
            checkPort.close();
            clients.forEach(RawHttp::close);
        }
    }

    @Test
    void withoutRedispatchTheyWaitForTheirServerUntilTimeoutQueue() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        try (NamedServer s1 = new NamedServer("s1");
             NamedServer s2 = new NamedServer("s2")) {
            Setup setup = start(s1, s2, "  cookie SRV insert indirect\n  timeout queue 400ms", "");
            try (RunningBalancer balancer = setup.balancer()) {
                List<RawHttp> queued = fillAndQueue(balancer, "/hold", "/q", "Cookie: SRV=A\r\n", s1, clients);
                assertEquals("", cli(setup.cliPort(), "set server be/s1 state maint").strip());
                for (RawHttp client : queued) {
                    assertEquals(503, client.read().status());
                }
                s1.release();
                assertEquals("s1", clients.getFirst().read().text());
            }
        } finally {
            clients.forEach(RawHttp::close);
        }
    }

    /** A value of the hashed header that the backend's balancing sends to {@code name} (both servers up). */
    private static String keyHashedTo(RunningBalancer balancer, String name) {
        dev.sluice.balancer.lb.LoadBalancer lb = balancer.backend("be").serverSet().newLoadBalancer();
        for (int k = 0; k < 64; k++) {
            String key = "user-" + k;
            if (lb.pick(new dev.sluice.balancer.lb.PickContext().key(key)).name().equals(name)) {
                return key;
            }
        }
        throw new AssertionError("no key hashes to " + name);
    }
}
