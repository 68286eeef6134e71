package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.support.SideBySide;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silent-drop} in {@code http-request}, {@code http-response} and {@code tcp-request
 * connection|content} rules, beside Debian's haproxy 2.6: what the client sees (nothing at all
 * when the process may use TCP repair mode, as root here; a reset otherwise) is the same, and the
 * next client is served.
 */
class SilentDropIT {
    private static final Duration START = Duration.ofSeconds(20);
    /** How long a client waits for a sign of life from a dropped connection. */
    private static final int WAIT_MILLIS = 1_500;

    @TempDir
    Path dir;

    private static String config(int http, int l4, int content, int session, int response) {
        return """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                frontend fe
                    bind 127.0.0.1:%1$d
                    http-request silent-drop if { path /drop }
                    http-request return status 404 content-type text/plain string gone if { path /gone }
                    http-request return status 200 content-type text/plain string ok
                frontend l4
                    bind 127.0.0.1:%2$d
                    tcp-request connection silent-drop
                    http-request return status 200 content-type text/plain string ok
                frontend content
                    bind 127.0.0.1:%3$d
                    tcp-request content silent-drop if { path /drop }
                    http-request return status 200 content-type text/plain string ok
                frontend session
                    bind 127.0.0.1:%4$d
                    tcp-request session silent-drop
                    http-request return status 200 content-type text/plain string ok
                frontend response
                    bind 127.0.0.1:%5$d
                    http-response silent-drop if { status 404 }
                    default_backend self
                backend self
                    server fe 127.0.0.1:%1$d
                """.formatted(http, l4, content, session, response);
    }

    @Test
    void theClientSeesWhatHaproxysClientSees() throws Exception {
        List<String> theirs = run(true);
        List<String> ours = run(false);
        assertEquals(theirs, ours);
    }

    private List<String> run(boolean haproxy) throws Exception {
        int http = Ports.free();
        int l4 = Ports.free();
        int content = Ports.free();
        int session = Ports.free();
        int response = Ports.free();
        Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs.cfg" : "ours.cfg"),
                config(http, l4, content, session, response));
        try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
            process.awaitListening("127.0.0.1", http, START).awaitListening("127.0.0.1", response, START);
            List<String> seen = new ArrayList<>();
            seen.add("request /drop: " + exchange(http, "/drop"));
            seen.add("request /: " + exchange(http, "/"));
            seen.add("response 404: " + exchange(response, "/gone"));
            seen.add("response 200: " + exchange(response, "/"));
            // Nothing is sent at these two: bytes arriving after the drop would meet a socket that no
            // longer exists, and the kernel would answer them with a reset, in either process.
            seen.add("session: " + exchange(session, null));
            seen.add("connection: " + exchange(l4, null));
            seen.add("content /drop: " + exchange(content, "/drop"));
            seen.add("content /: " + exchange(content, "/"));
            return seen;
        }
    }

    /**
     * The status line of the answer to a GET of {@code path} (null: send nothing), or what the
     * connection did instead: timeout, reset or eof.
     */
    private static String exchange(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), WAIT_MILLIS);
            socket.setSoTimeout(WAIT_MILLIS);
            if (path != null) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\r') {
                line.append((char) b);
            }
            return b < 0 && line.isEmpty() ? "eof" : line.toString();
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (SocketException e) {
            return "reset";
        }
    }
}
