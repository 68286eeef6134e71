package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tune.rcvbuf.client|server} and {@code tune.sndbuf.client|server} reach the sockets: the
 * kernel reports them (doubled, as Linux keeps room for its bookkeeping) in {@code ss -m} for the
 * accepted client socket and for the server connection the balancer keeps after a request.
 */
class SocketBuffersIT {

    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /** The skmem of the one TCP socket matching {@code filter}. */
    private static String skmem(String filter) {
        String out = ExternalProcess.run("ss", List.of("ss", "-tmnH", filter), Duration.ofSeconds(10))
                .assertExit(0).output();
        return out.strip();
    }

    @Test
    void bothSidesGetTheirSizes() throws Exception {
        int port = Ports.free();
        try (ScriptedServer app = new ScriptedServer(REPLY)) {
            int serverPort = app.address().getPort();
            String text = """
                    global
                      tune.rcvbuf.client 50000
                      tune.sndbuf.client 60000
                      tune.rcvbuf.server 70000
                      tune.sndbuf.server 80000
                    defaults
                      mode http
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                    frontend fe
                      bind 127.0.0.1:%d
                      default_backend be
                    backend be
                      server s 127.0.0.1:%d
                    """.formatted(port, serverPort);
            LoadResult loaded = ConfigLoader.parse("buffers.cfg", text, Map.of());
            assertTrue(loaded.isValid(), loaded.render());
            try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
                 Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(5_000);
                client.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = client.getInputStream();
                byte[] answer = new byte[REPLY.length()];
                int read = 0;
                while (read < answer.length) {
                    int n = in.read(answer, read, answer.length - read);
                    assertTrue(n > 0, "response cut short");
                    read += n;
                }
                // The balancer's end of the client connection, and its keep-alive connection to the server.
                String accepted = skmem("sport = :" + port + " and dport = :" + client.getLocalPort());
                assertTrue(accepted.contains("rb100000") && accepted.contains("tb120000"), accepted);
                String toServer = skmem("dport = :" + serverPort);
                assertTrue(toServer.contains("rb140000") && toServer.contains("tb160000"), toServer);
            }
        }
    }
}
