package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reload of a balancer in a {@code peers} section, in process: the shared table keeps its
 * entries and the local peer listens again; a reload that fails leaves the running configuration
 * with its peers, still answering a peer's hello.
 */
class PeersReloadIT {

    private static final int HELLO_TIMEOUT_MS = 5_000;

    private static final String CONFIG = """
            peers mesh
                peer A 127.0.0.1:%1$d
                peer B 127.0.0.1:%2$d
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:%3$d
                default_backend be
            backend be
                stick-table type ip size 1k expire 60s store server_id,http_req_rate(10s) peers mesh
                stick on src
                server s1 127.0.0.1:9
            """;

    private static RuntimePlan plan(String text) {
        LoadResult loaded = ConfigLoader.parse("peers.cfg", text, Map.of(), "A");
        assertTrue(loaded.isValid(), loaded.render());
        return Compiler.compile(loaded.config().orElseThrow()).plan();
    }

    /** Says hello to the local peer as B; returns the status line. */
    private static String hello(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), HELLO_TIMEOUT_MS);
            socket.setSoTimeout(HELLO_TIMEOUT_MS);
            socket.getOutputStream().write("HAProxyS 2.1\nA\nB 1 1\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n' && line.length() < 16; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    @Test
    void aReloadKeepsTheSharedTableAndAFailedOneKeepsThePeers() throws IOException {
        int peerA = Ports.free();
        int peerB = Ports.free();
        int front = Ports.free();
        RunningBalancer running = Balancer.start(plan(CONFIG.formatted(peerA, peerB, front)));
        try {
            StickEntry entry = running.peers().tables().get("be").lookupOrCreate(IpAddress.parse("192.0.2.1"));
            entry.set(StickData.SERVER_ID, 1);
            entry.add(StickData.HTTP_REQ_RATE, 3);
            assertEquals("200", hello(peerA));

            running = Balancer.reload(running, plan(CONFIG.formatted(peerA, peerB, front)));
            StickEntry carried = running.peers().tables().get("be").lookup(IpAddress.parse("192.0.2.1"));
            assertNotNull(carried, "the entry went through the reload");
            assertEquals(1, carried.get(StickData.SERVER_ID));
            assertEquals(3, carried.get(StickData.HTTP_REQ_RATE));
            assertEquals("200", hello(peerA));

            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                RunningBalancer current = running;
                RuntimePlan refused = plan(CONFIG.formatted(peerA, peerB, taken.getLocalPort()));
                assertThrows(IllegalStateException.class, () -> Balancer.reload(current, refused));
            }
            assertEquals("200", hello(peerA), "the running configuration's local peer listens again");
        } finally {
            running.close();
        }
    }
}
