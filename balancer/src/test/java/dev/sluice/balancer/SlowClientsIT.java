package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.ScriptedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Slowloris and slow bodies: {@code timeout http-request} bounds the whole request head however
 * the client dribbles it (the deadline is never pushed back by partial data), and a request body
 * that stops arriving is bounded by {@code timeout client}. The bounds asserted are loose (ten times
 * the timeout): what matters is that dribbling does not keep the connection.
 */
class SlowClientsIT {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    /** One header line per this many milliseconds: far more often than the timeout. */
    private static final long DRIBBLE_MS = 50;
    private static final int DRIBBLE_LINES = 80;

    @Test
    void dribbledHeadersGet408AtTheHttpRequestTimeout() throws IOException {
        Timeouts timeouts = Plans.TIMEOUTS.withHttpRequest(TIMEOUT);
        try (ScriptedServer server = new ScriptedServer(OK);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address())
                     .frontTimeouts(timeouts).build());
             Socket client = connect(balancer)) {
            OutputStream out = client.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.ISO_8859_1));
            int sent = 0;
            try {
                for (; sent < DRIBBLE_LINES && client.getInputStream().available() == 0; sent++) {
                    out.write(("X-Slow-" + sent + ": 1\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    Thread.sleep(DRIBBLE_MS);
                }
            } catch (IOException closedMeanwhile) {
                // the balancer may close while we still write: the status below tells why
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertTrue(sent < DRIBBLE_LINES, "still dribbling after " + sent * DRIBBLE_MS + " ms");
            assertEquals("408", status(client.getInputStream()));
            assertEquals(0, server.heads().size(), "nothing reached the server");
        }
    }

    @Test
    void aStalledBodyIsClosedAtTheClientTimeout() throws IOException {
        Timeouts timeouts = Plans.TIMEOUTS.withClient(TIMEOUT);
        try (ScriptedServer server = new ScriptedServer(OK);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address())
                     .frontTimeouts(timeouts).build());
             Socket client = connect(balancer)) {
            client.getOutputStream().write(("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + "x".repeat(10))
                    .getBytes(StandardCharsets.ISO_8859_1));
            client.setSoTimeout((int) TIMEOUT.toMillis() * 10);
            long start = System.nanoTime();
            try {
                InputStream in = client.getInputStream();
                while (in.read() != -1) {
                    // whatever answer comes (the server may answer early), the connection must end
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("a stalled body kept the connection for 10 × timeout client", e);
            } catch (IOException reset) {
                // a reset is an end too
            }
            assertTrue(System.nanoTime() - start < TIMEOUT.toNanos() * 10);
        }
    }

    private static Socket connect(RunningBalancer balancer) throws IOException {
        InetSocketAddress front = (InetSocketAddress) balancer.boundAddresses().getFirst();
        Socket socket = new Socket(front.getAddress(), front.getPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String status(InputStream in) throws IOException {
        byte[] head = in.readNBytes(12);
        return head.length < 12 ? "none" : new String(head, 9, 3, StandardCharsets.ISO_8859_1);
    }
}
