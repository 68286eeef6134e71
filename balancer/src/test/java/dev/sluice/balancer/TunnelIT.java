package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Upgrade (WebSocket-style) and CONNECT become byte tunnels once the server agrees. */
class TunnelIT {
    private static final String SWITCH = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n";

    @Test
    void upgradeBecomesATunnel() {
        try (ScriptedServer server = new ScriptedServer(SWITCH).echoAfterReply();
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            RawHttp.Response response = client.send("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\n"
                    + "Upgrade: echo\r\n\r\n").read();
            assertEquals(101, response.status());
            assertEquals("echo", response.header("upgrade"));
            assertEquals("upgrade", response.header("connection").toLowerCase(java.util.Locale.ROOT));
            assertEquals("ping\r\n\r\nGET / HTTP/1.1", client.send("ping\r\n\r\nGET / HTTP/1.1").readBytes(22));
            assertEquals("more", client.send("more").readBytes(4));
            String head = server.heads().getFirst();
            assertTrue(head.contains("\r\nUpgrade: echo\r\n"), head);
            assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: upgrade\r\n"), head);
        }
    }

    @Test
    void connectBecomesATunnel() {
        try (ScriptedServer server = new ScriptedServer("HTTP/1.1 200 Connection established\r\n\r\n").echoAfterReply();
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            client.send("CONNECT 192.0.2.1:443 HTTP/1.1\r\nHost: 192.0.2.1:443\r\n\r\n");
            RawHttp.Response response = client.read(true);
            assertEquals(200, response.status());
            assertNull(response.header("transfer-encoding"));
            assertEquals("\u0016\u0003\u0001hello", client.send("\u0016\u0003\u0001hello").readBytes(8));
        }
    }

    @Test
    void idleTunnelEndsAtTimeoutTunnel() {
        Timeouts quick = Plans.TIMEOUTS.withTunnel(Duration.ofMillis(300));
        try (ScriptedServer server = new ScriptedServer(SWITCH).echoAfterReply();
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).backTimeouts(quick).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(101, client.send("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n").read().status());
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void unrequestedSwitchIsABadResponse() {
        try (ScriptedServer server = new ScriptedServer(SWITCH);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(502, client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
        }
    }
}
