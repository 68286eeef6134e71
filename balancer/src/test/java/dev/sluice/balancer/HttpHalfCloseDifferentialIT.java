package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.SideBySide;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.ByteArrayOutputStream;
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
 * A client that sends its request and then its FIN (shutdown of its output, as {@code nc -N} or
 * {@code socat -t} do) in HTTP mode, beside Debian's haproxy 2.6: a whole request is still
 * proxied and answered, then the connection ends; a request cut in its body is not answered.
 * Pipelined requests received before the FIN are all answered here (haproxy's answer to the
 * second one depends on timing).
 */
class HttpHalfCloseDifferentialIT {
    private static final Duration START = Duration.ofSeconds(20);
    private static final int WAIT_MILLIS = 3_000;
    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String CONFIG = """
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
            """;
    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final java.util.regex.Pattern STATUS = java.util.regex.Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");

    @TempDir
    Path dir;

    @Test
    void aHalfClosedClientStillGetsItsAnswers() throws Exception {
        List<String> ours = run(false);
        assertEquals(List.of("200 then end", "200 200 then end", "nothing then end"), ours);
        // haproxy answers the second of two pipelined requests or not depending on whether it parsed
        // it before the first answer ended; the other cases it answers as we do, every time.
        List<String> theirs = run(true);
        assertEquals(List.of(ours.get(0), ours.get(2)), List.of(theirs.get(0), theirs.get(2)));
    }

    private List<String> run(boolean haproxy) throws Exception {
        try (ScriptedServer server = new ScriptedServer(REPLY)) {
            int port = Ports.free();
            Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs.cfg" : "ours.cfg"),
                    CONFIG.formatted(port, server.address().getPort()));
            try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                process.awaitListening("127.0.0.1", port, START);
                List<String> seen = new ArrayList<>();
                seen.add(halfClosed(port, GET));
                seen.add(halfClosed(port, GET + GET));
                seen.add(halfClosed(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf"));
                return seen;
            }
        }
    }

    /** Sends {@code request}, shuts the output, and tells the statuses read before the end. */
    private static String halfClosed(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), WAIT_MILLIS);
            socket.setSoTimeout(WAIT_MILLIS);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            String end;
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    got.write(buffer, 0, n);
                }
                end = "end";
            } catch (SocketTimeoutException e) {
                end = "no end";
            } catch (SocketException e) {
                end = "end"; // a reset ends it too
            }
            List<String> statuses = new ArrayList<>();
            // Bodies are two bytes long, so the next status line starts right after one.
            java.util.regex.Matcher status = STATUS.matcher(got.toString(StandardCharsets.ISO_8859_1));
            while (status.find()) {
                statuses.add(status.group(1));
            }
            return (statuses.isEmpty() ? "nothing" : String.join(" ", statuses)) + " then " + end;
        }
    }
}
