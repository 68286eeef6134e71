package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.terminator.demo.SelfSignedCertificate;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: SIGTERM to the supervisor of {@code --workers=2} with connections open on both
 * workers: they stop accepting, open connections keep working until they finish (or until
 * {@code --drain-timeout}), then the fleet exits 0.
 */
class FleetDrainIT {
    /** Connections opened at most while waiting for both workers to hold one. */
    private static final int MAX_CONNECTIONS = 64;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void openConnectionsFinishThenTheFleetExitsZero() throws Exception {
        Path pem = pem();
        int port = Ports.free();
        int metrics = ResumptionAcrossWorkersIT.freePair();
        List<SSLSocket> clients = new ArrayList<>();
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.ECHO);
             ExternalProcess fleet = start(pem, port, backend.port(), metrics, 20)) {
            while (active(metrics) == 0 || active(metrics + 1) == 0) {
                assertTrue(clients.size() < MAX_CONNECTIONS, "the kernel gave every connection to one worker");
                SSLSocket client = TlsClient.connect(port, "localhost");
                clients.add(client);
                assertEquals("before\n", roundTrip(client, "before\n"));
            }
            fleet.signal("TERM");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (Ports.accepting("127.0.0.1", port) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(Ports.accepting("127.0.0.1", port), "still accepting after SIGTERM\n" + fleet.describe());
            for (SSLSocket client : clients) {
                assertEquals("during drain\n", roundTrip(client, "during drain\n"), fleet.describe());
            }
            long closed = System.nanoTime();
            for (SSLSocket client : clients) {
                client.close();
            }
            assertEquals(0, fleet.awaitExit(WAIT), fleet.describe());
            Duration afterLast = Duration.ofNanos(System.nanoTime() - closed);
            assertTrue(afterLast.compareTo(Duration.ofSeconds(10)) < 0,
                    "exits once the last connection is done, not at the 20 s drain timeout: " + afterLast);
            System.out.printf("FleetDrainIT: %d connections drained; fleet exited %d ms after the last closed%n",
                    clients.size(), afterLast.toMillis());
        } finally {
            for (SSLSocket client : clients) {
                client.close();
            }
        }
    }

    @Test
    void connectionsStillOpenAtTheDrainTimeoutAreClosedAndTheFleetExitsZero() throws Exception {
        Path pem = pem();
        int port = Ports.free();
        int metrics = ResumptionAcrossWorkersIT.freePair();
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.ECHO);
             ExternalProcess fleet = start(pem, port, backend.port(), metrics, 2);
             SSLSocket client = TlsClient.connect(port, "localhost")) {
            assertEquals("before\n", roundTrip(client, "before\n"));
            long signalled = System.nanoTime();
            fleet.signal("TERM");
            assertEquals(0, fleet.awaitExit(WAIT), fleet.describe());
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);
            assertTrue(took.compareTo(Duration.ofMillis(1_900)) > 0, "the open connection had its 2 s: " + took);
            assertEquals(-1, client.getInputStream().read(), "closed at the drain timeout");
            assertTrue(fleet.output().contains("drain timeout (PT2S) passed with 1 connection(s) open"), fleet.describe());
        }
    }

    private Path pem() throws Exception {
        Path pem = dir.resolve("site.pem");
        SelfSignedCertificate.write(pem, List.of("localhost", "127.0.0.1"));
        return pem;
    }

    private static ExternalProcess start(Path pem, int port, int backend, int metrics, int drainSeconds) {
        ExternalProcess fleet = Sluice.terminator("--frontend=[127.0.0.1]:" + port, "--backend=[127.0.0.1]:" + backend,
                "--workers=2", "--cpus=0-1", "--metrics=[127.0.0.1]:" + metrics, "--drain-timeout=" + drainSeconds,
                pem.toString());
        fleet.awaitListening("127.0.0.1", metrics, Duration.ofSeconds(60));
        fleet.awaitListening("127.0.0.1", metrics + 1, Duration.ofSeconds(60));
        // Both workers bound their metrics port (a worker is ready only once every listener is bound).
        fleet.awaitOutput("(?s)summary: ready: pid.*summary: ready: pid", Duration.ofSeconds(60));
        fleet.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
        return fleet;
    }

    private static long active(int metricsPort) throws Exception {
        return FleetClient.value(FleetClient.metrics(metricsPort), "sluice_terminator_connections_active");
    }

    private static String roundTrip(SSLSocket client, String line) throws Exception {
        client.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        byte[] buffer = new byte[line.length()];
        int read = 0;
        while (read < buffer.length) {
            int n = client.getInputStream().read(buffer, read, buffer.length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return new String(buffer, 0, read, StandardCharsets.US_ASCII);
    }
}
