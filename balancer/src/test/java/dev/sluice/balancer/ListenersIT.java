package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.demo.DemoBackend;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.GlobalPlan;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.ExternalProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Listeners: accept-proxy (with curl and raw headers), client-hs, maxconn, unix sockets, tcp mode. */
class ListenersIT {

    @Test
    void proxyV1SourceBecomesTheForwardedAddress() {
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.http().server("b1", backend.address()).acceptProxy().build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            RawHttp.Response response = client.send("PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\n"
                    + "GET /p HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertEquals("b1: GET /p from X-Forwarded-For=203.0.113.7\n", response.text());
            RawHttp.Response again = client.send("GET /q HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertEquals("b1: GET /q from X-Forwarded-For=203.0.113.7\n", again.text());
        }
    }

    @Test
    void curlHaproxyProtocolV1Works() {
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.http().server("b1", backend.address()).acceptProxy().build())) {
            int port = ((InetSocketAddress) balancer.boundAddresses().getFirst()).getPort();
            ExternalProcess.Result result = ExternalProcess.run("curl", List.of("curl", "-sS", "--max-time", "10",
                    "--haproxy-protocol", "http://127.0.0.1:" + port + "/c"), Duration.ofSeconds(15)).assertExit(0);
            assertEquals("b1: GET /c from X-Forwarded-For=127.0.0.1\n", result.output());
        }
    }

    @Test
    void proxyV2SourceIsUsed() {
        byte[] header = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
                0x21, 0x11, 0x00, 0x0C, (byte) 198, 51, 100, 23, 127, 0, 0, 1, (byte) 0x9c, 0x40, 0x00, 0x50};
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.http().server("b1", backend.address()).acceptProxy().build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            client.send(header);
            RawHttp.Response response = client.send("GET /v2 HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertEquals("b1: GET /v2 from X-Forwarded-For=198.51.100.23\n", response.text());
        }
    }

    @Test
    void missingProxyHeaderClosesTheConnection() {
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.http().server("b1", backend.address()).acceptProxy().build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void lateProxyHeaderHitsClientHs() {
        Timeouts quick = Plans.TIMEOUTS.withClientHs(Duration.ofMillis(300));
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.http().server("b1", backend.address()).acceptProxy()
                     .frontTimeouts(quick).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            client.send("PROXY TCP4 203.0.113.7 127.0.0.1 40000");
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void frontendMaxconnHoldsTheNextClientInTheBacklog() throws Exception {
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.http().server("b1", backend.address()).maxconn(0, 1).build())) {
            RawHttp first = RawHttp.to(balancer.boundAddresses().getFirst());
            assertEquals(200, first.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
            try (RawHttp second = RawHttp.to(balancer.boundAddresses().getFirst())) {
                // The kernel completes the handshake, but nobody reads until a slot frees.
                second.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
                second.setTimeout(500);
                assertFalse(second.closedByPeer());
                first.close();
                second.setTimeout(10_000);
                assertEquals("b1: GET /2 from X-Forwarded-For=127.0.0.1\n", second.read().text());
            }
        }
    }

    @Test
    void unixSocketBindServesHttp() throws IOException {
        Path dir = Files.createTempDirectory("sluice-unix-");
        Path socket = dir.resolve("fe.sock");
        try (DemoBackend backend = DemoBackend.start(0, "b1")) {
            FrontendPlan frontend = new FrontendPlan("fe", Mode.HTTP,
                    List.of(new BindPlan(UnixDomainSocketAddress.of(socket), true, 0, "u")), 0, "be", List.of(),
                    ForwardFor.ENABLED, Plans.TIMEOUTS, Map.of());
            BackendPlan be = new BackendPlan("be", Mode.HTTP, List.of(ServerPlan.of("b1", backend.address())),
                    Plans.TIMEOUTS, 1, false, ForwardFor.DISABLED, Map.of());
            try (RunningBalancer balancer = Balancer.start(new RuntimePlan(new GlobalPlan(0, 1, GlobalPlan.DEFAULT_BUFSIZE),
                    List.of(frontend), List.of(be)));
                 SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                assertEquals(1, balancer.boundAddresses("fe").size());
                channel.write(java.nio.ByteBuffer.wrap(("PROXY TCP6 2001:db8::5 ::1 4000 80\r\n"
                        + "GET /u HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                String answer = new String(readAll(channel), StandardCharsets.ISO_8859_1);
                assertTrue(answer.endsWith("b1: GET /u from X-Forwarded-For=2001:db8::5\n"), answer);
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4096);
        while (channel.read(buffer) > 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }

    @Test
    void tcpModeRelaysBytesBothWays() {
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.tcp().server("b1", backend.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals("b1: GET /t from X-Forwarded-For=\n", client.send("GET /t HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
            assertEquals("b1: GET /u from X-Forwarded-For=\n", client.send("GET /u HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
        }
    }

    @Test
    void tcpModeWithProxyHeaderRelaysWhatFollows() {
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.tcp().server("b1", backend.address()).acceptProxy().build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            client.send("PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\nGET /t HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("b1: GET /t from X-Forwarded-For=\n", client.read().text());
        }
    }

    @Test
    void tcpModeIdleTimeoutClosesBothSides() {
        Timeouts quick = Plans.TIMEOUTS.withClient(Duration.ofMillis(300));
        try (DemoBackend backend = DemoBackend.start(0, "b1");
             RunningBalancer balancer = Balancer.start(Plans.tcp().server("b1", backend.address()).frontTimeouts(quick).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void globalMaxconnCoversEveryFrontend() throws Exception {
        try (DemoBackend backend = DemoBackend.start(0, "b1")) {
            BackendPlan be = new BackendPlan("be", Mode.HTTP, List.of(ServerPlan.of("b1", backend.address())),
                    Plans.TIMEOUTS, 1, false, ForwardFor.DISABLED, Map.of());
            FrontendPlan one = new FrontendPlan("one", Mode.HTTP, List.of(BindPlan.of(new InetSocketAddress("127.0.0.1", 0))),
                    0, "be", List.of(), ForwardFor.DISABLED, Plans.TIMEOUTS, Map.of());
            FrontendPlan two = new FrontendPlan("two", Mode.HTTP, List.of(BindPlan.of(new InetSocketAddress("::1", 0))),
                    0, "be", List.of(), ForwardFor.DISABLED, Plans.TIMEOUTS, Map.of());
            try (RunningBalancer balancer = Balancer.start(new RuntimePlan(new GlobalPlan(1, 2, GlobalPlan.DEFAULT_BUFSIZE),
                    List.of(one, two), List.of(be)))) {
                RawHttp first = RawHttp.to(balancer.boundAddresses("one").getFirst());
                assertEquals(200, first.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
                // The IPv6 listener of the other frontend is held by the same global limit.
                try (RawHttp second = RawHttp.to(balancer.boundAddresses("two").getFirst())) {
                    second.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
                    second.setTimeout(500);
                    assertFalse(second.closedByPeer());
                    first.close();
                    second.setTimeout(10_000);
                    assertEquals("b1: GET /2 from X-Forwarded-For=\n", second.read().text());
                }
            }
        }
    }

    @Test
    void closeDrainsExchangesInFlightAndClosesIdleConnections() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (dev.sluice.balancer.support.ScriptedServer server = new dev.sluice.balancer.support.ScriptedServer(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").holdFirstReplyUntil(release)) {
            RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
            try (RawHttp busy = RawHttp.to(balancer.boundAddresses().getFirst());
                 RawHttp idle = RawHttp.to(balancer.boundAddresses().getFirst())) {
                busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
                while (server.heads().isEmpty()) {
                    Thread.sleep(10);
                }
                assertEquals(200, idle.send("GET /quick HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
                Thread stopper = Thread.ofVirtual().start(balancer::close);
                assertTrue(idle.closedByPeer(), "an idle kept-alive connection closes at once");
                release.countDown();
                RawHttp.Response response = busy.read();
                assertEquals("ok", response.text());
                // Closed after the full response (with "Connection: close" when the drain reached
                // the connection before its response head did).
                assertTrue(busy.closedByPeer());
                stopper.join(10_000);
                assertFalse(stopper.isAlive());
                assertEquals(0, balancer.openConnections());
            } finally {
                release.countDown();
                balancer.close();
            }
        }
    }

    @Test
    void tcpModeClosesWhenTheServerIsDead() {
        InetSocketAddress dead = new InetSocketAddress("127.0.0.1", dev.sluice.testkit.Ports.free());
        try (RunningBalancer balancer = Balancer.start(Plans.tcp().server("dead", dead).retries(1).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void aBindConflictFailsTheStartAndLeavesNothingBound() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int first = dev.sluice.testkit.Ports.free();
            FrontendPlan frontend = new FrontendPlan("fe", Mode.HTTP, List.of(
                    BindPlan.of(new InetSocketAddress("127.0.0.1", first)),
                    BindPlan.of(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))), 0, "be", List.of(),
                    ForwardFor.DISABLED, Plans.TIMEOUTS, Map.of());
            BackendPlan be = new BackendPlan("be", Mode.HTTP, List.of(), Plans.TIMEOUTS, 0, false, ForwardFor.DISABLED, Map.of());
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> Balancer.start(new RuntimePlan(GlobalPlan.DEFAULTS, List.of(frontend), List.of(be))));
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
            assertFalse(dev.sluice.testkit.Ports.accepting("127.0.0.1", first), "the first bind was left open");
        }
    }

    @Test
    void tcpModeOpensOneServerConnectionPerClient() {
        try (dev.sluice.balancer.support.ScriptedServer server = new dev.sluice.balancer.support.ScriptedServer(
                     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             RunningBalancer balancer = Balancer.start(Plans.tcp().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals("ok", client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
            assertEquals("ok", client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
            assertEquals(1, server.connections());
        }
    }

    @Test
    void aNewEngineBindsBesideTheOldOneForReloads() {
        int port = dev.sluice.testkit.Ports.free();
        try (DemoBackend oldServer = DemoBackend.start(0, "old"); DemoBackend newServer = DemoBackend.start(0, "new")) {
            RunningBalancer old = Balancer.start(plan(port, oldServer.address()));
            try (RunningBalancer fresh = Balancer.start(plan(port, newServer.address()))) {
                old.close();
                try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
                    assertTrue(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().text().startsWith("new:"));
                }
            } finally {
                old.close();
            }
        }
    }

    private static RuntimePlan plan(int port, InetSocketAddress server) {
        FrontendPlan fe = new FrontendPlan("fe", Mode.HTTP, List.of(BindPlan.of(new InetSocketAddress("127.0.0.1", port))),
                0, "be", List.of(), ForwardFor.DISABLED, Plans.TIMEOUTS, Map.of());
        BackendPlan be = new BackendPlan("be", Mode.HTTP, List.of(ServerPlan.of("s", server)), Plans.TIMEOUTS, 1, false,
                ForwardFor.DISABLED, Map.of());
        return new RuntimePlan(new GlobalPlan(0, 1, GlobalPlan.DEFAULT_BUFSIZE), List.of(fe), List.of(be));
    }
}
