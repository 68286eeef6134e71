package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code option nolinger}, seen from the peers: a frontend's client reads the whole response and its
 * FIN, then its socket is gone from {@code ss} (the reset came) instead of waiting in CLOSE-WAIT, as
 * with Debian's haproxy 2.6; a backend's server connection, closed after the response by
 * {@code http-server-close}, is reset (the server's read fails) instead of closed with a FIN.
 */
class NoLingerIT {

    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    private static final Duration SETTLE = Duration.ofMillis(300);

    private static String config(int port, boolean noLinger, String server) {
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
                  %s
                  default_backend be
                backend be
                  server s %s
                """.formatted(port, noLinger ? "option nolinger" : "no option nolinger", server);
    }

    /** The client's socket state after it read the response and the server's FIN: "" when it is gone. */
    private static String clientStateAfterResponse(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200") && response.endsWith("ok"), response);
            Thread.sleep(SETTLE.toMillis());
            // This very connection: an older one from the same local port may still be in TIME-WAIT.
            var ss = ExternalProcess.run("ss", List.of("ss", "-tanH", "sport = :" + socket.getLocalPort()
                    + " and dport = :" + port), Duration.ofSeconds(10)).assertExit(0);
            return ss.output().strip();
        }
    }

    private static RunningBalancer ours(String text) {
        LoadResult loaded = ConfigLoader.parse("nolinger.cfg", text, Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        return Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
    }

    @Test
    void aFrontendResetsItsClientsAfterTheFinAsHaproxyDoes() throws Exception {
        try (ScriptedServer app = new ScriptedServer(REPLY)) {
            String server = "127.0.0.1:" + app.address().getPort();
            Path file = Files.createTempFile("sluice-nolinger-", ".cfg");
            int theirs = Ports.free();
            Files.writeString(file, config(theirs, true, server));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f",
                    file.toString()))) {
                haproxy.awaitListening("127.0.0.1", theirs, Duration.ofSeconds(10));
                assertEquals("", clientStateAfterResponse(theirs), "haproxy 2.6 resets after its FIN");
            } finally {
                Files.delete(file);
            }
            int port = Ports.free();
            try (RunningBalancer balancer = ours(config(port, true, server))) {
                assertEquals("", clientStateAfterResponse(port), "reset after the FIN");
            }
            port = Ports.free();
            try (RunningBalancer balancer = ours(config(port, false, server))) {
                assertTrue(clientStateAfterResponse(port).startsWith("CLOSE-WAIT"), "without: a FIN only");
            }
        }
    }

    /** What a server sees when the balancer closes its connection after the response: "reset" or "fin". */
    private static String serverSeesAfterResponse(boolean noLinger) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            int port = Ports.free();
            String text = config(port, false, "127.0.0.1:" + listener.getLocalPort())
                    .replace("backend be\n", "backend be\n  option http-server-close\n"
                            + (noLinger ? "  option nolinger\n" : ""));
            try (RunningBalancer balancer = ours(text);
                 Socket client = new Socket("127.0.0.1", port)) {
                client.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
                try (Socket server = listener.accept()) {
                    server.setSoTimeout(5_000);
                    InputStream in = server.getInputStream();
                    byte[] head = new byte[4096];
                    int n = in.read(head);
                    assertTrue(n > 0 && new String(head, 0, n, StandardCharsets.ISO_8859_1).startsWith("GET / "));
                    server.getOutputStream().write(REPLY.getBytes(StandardCharsets.ISO_8859_1));
                    try {
                        return in.read() < 0 ? "fin" : "data";
                    } catch (SocketException e) {
                        return e.getMessage().contains("reset") ? "reset" : e.getMessage();
                    }
                }
            }
        }
    }

    @Test
    void aBackendResetsItsServerConnections() throws Exception {
        assertEquals("reset", serverSeesAfterResponse(true));
        assertEquals("fin", serverSeesAfterResponse(false));
    }
}
