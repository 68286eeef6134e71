package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A backend that sends its answer and then its FIN (a balancer closing an idle keep-alive
 * connection) ends the whole connection, as in hitch: the backend sees our FIN at once even though
 * the client, like an idle keep-alive client, neither writes nor closes. Before, the relay
 * half-closed and waited for the client, so the connection stayed open (CLOSE-WAIT towards the
 * backend) and held a stop's drain for its whole timeout.
 */
class BackendEndIT extends LoopbackFixture {
    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
    /** How long the backend waits for the proxy's FIN after its own. */
    private static final int FIN_WAIT_MILLIS = 3_000;

    @Test
    void theBackendsFinEndsTheConnectionAsInHitch() throws Exception {
        assertEquals("closed", afterBackendFin(false), "hitch");
        assertEquals("closed", afterBackendFin(true), "sluice-terminator");
    }

    /** What the backend saw after its FIN while the client stayed idle: "closed" or "still open". */
    private static String afterBackendFin(boolean ours) throws Exception {
        int port = Ports.free();
        try (ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             ExternalProcess proxy = start(ours, port, listener.getLocalPort());
             SSLSocket client = TlsClient.connect(port, NAME);
             Socket backend = listener.accept()) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            InputStream fromProxy = backend.getInputStream();
            fromProxy.readNBytes(4); // the request's first bytes: the connection is relaying
            backend.getOutputStream().write(ANSWER);
            backend.shutdownOutput();
            assertArrayEquals(ANSWER, client.getInputStream().readNBytes(ANSWER.length), "the answer is delivered");
            backend.setSoTimeout(FIN_WAIT_MILLIS);
            try {
                while (fromProxy.read() >= 0) {
                    // the rest of the request
                }
                return "closed";
            } catch (SocketTimeoutException e) {
                return "still open";
            }
        }
    }

    private static ExternalProcess start(boolean ours, int port, int backendPort) {
        List<String> command = new ArrayList<>();
        if (ours) {
            command.addAll(Sluice.command("terminator"));
        } else {
            command.addAll(List.of(Sluice.tool("hitch"), "--user=nobody"));
        }
        command.addAll(List.of("--frontend=[127.0.0.1]:" + port, "--backend=[127.0.0.1]:" + backendPort, pem.toString()));
        return ExternalProcess.start(ours ? "terminator" : "hitch", command).awaitListening("127.0.0.1", port, START);
    }
}
