package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.terminator.demo.SelfSignedCertificate;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: with {@code --workers=2} and one {@code --ticket-key-file} (nginx's 80-byte format),
 * 20 TLS 1.3 sessions saved by {@code openssl s_client -sess_out} all resume with
 * {@code -sess_in}, whichever worker the kernel hands each connection to; each worker's own
 * metrics listener (metrics port + worker index) shows that both took full and resumed handshakes.
 */
class ResumptionAcrossWorkersIT {
    private static final int SESSIONS = 20;
    private static final int TICKET_KEY_BYTES = 80;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void twentySessionsResumeOnEitherWorker(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("site.pem");
        SelfSignedCertificate.write(pem, List.of("localhost", "127.0.0.1"));
        byte[] key = new byte[TICKET_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path keys = Files.write(dir.resolve("ticket.key"), key);
        int port = Ports.free();
        int metrics = freePair();
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess fleet = Sluice.terminator("--frontend=[127.0.0.1]:" + port,
                     "--backend=[127.0.0.1]:" + backend.port(), "--workers=2", "--cpus=0-1",
                     "--ticket-key-file=" + keys, "--metrics=[127.0.0.1]:" + metrics, pem.toString())) {
            fleet.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
            fleet.awaitListening("127.0.0.1", metrics, Duration.ofSeconds(60));
            fleet.awaitListening("127.0.0.1", metrics + 1, Duration.ofSeconds(60));
            // Both workers bound their metrics port (a worker is ready only once every listener is bound).
            fleet.awaitOutput("(?s)summary: ready: pid.*summary: ready: pid", Duration.ofSeconds(60));
            List<String> notReused = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Path session = dir.resolve("session-" + i + ".pem");
                String first = sClient(port, "-sess_out", session);
                assertTrue(first.contains("New, TLSv1.3"), first);
                assertTrue(Files.size(session) > 0, "no ticket saved\n" + first);
                String second = sClient(port, "-sess_in", session);
                if (!second.contains("Reused, TLSv1.3")) {
                    notReused.add("session " + i + ":\n" + second);
                }
            }
            assertEquals(List.of(), notReused, "every session resumes");

            String zero = FleetClient.metrics(metrics);
            String one = FleetClient.metrics(metrics + 1);
            long resumed = 0;
            for (String worker : List.of(zero, one)) {
                assertTrue(FleetClient.value(worker, "sluice_terminator_handshakes_total") > 0,
                        "both workers took connections\n" + zero + "\n" + one);
                resumed += FleetClient.value(worker, "sluice_terminator_resumptions_total");
            }
            assertEquals(SESSIONS, resumed, "resumptions over both workers\n" + zero + "\n" + one);
            // 2 × 0.5^20 that one worker took every resumption; seeing both proves tickets cross workers.
            assertTrue(FleetClient.value(zero, "sluice_terminator_resumptions_total") > 0
                    && FleetClient.value(one, "sluice_terminator_resumptions_total") > 0,
                    "both workers resumed sessions\n" + zero + "\n" + one);
        }
    }

    /** One HTTP request through {@code openssl s_client} (TLS 1.3), which exits when the backend closes. */
    private static String sClient(int port, String direction, Path session) {
        String command = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | " + Sluice.tool("openssl") + " s_client -connect 127.0.0.1:"
                + port + " -servername localhost -tls1_3 -ign_eof " + direction + " " + session;
        return ExternalProcess.run("s_client", List.of("bash", "-c", command), CLIENT_TIMEOUT).output();
    }

    /** A free port whose successor is free too (worker 1 serves metrics on port + 1). */
    static int freePair() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = Ports.free();
            if (port < 65535 && isFree(port + 1)) {
                return port;
            }
        }
        throw new AssertionError("no two adjacent free ports in 50 tries");
    }

    private static boolean isFree(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
