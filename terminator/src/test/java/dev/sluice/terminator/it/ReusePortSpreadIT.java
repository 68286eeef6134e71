package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.terminator.demo.SelfSignedCertificate;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: SO_REUSEPORT spreads 1,000 connections over {@code --workers=2}. Each worker counts
 * the connections it accepted on its own metrics listener (metrics port + worker index).
 */
class ReusePortSpreadIT {
    private static final int CONNECTIONS = 1_000;
    /**
     * The kernel picks a listener by a hash of the 4-tuple: each worker's count is about
     * Binomial(1000, 1/2), σ ≈ 15.8. ±100 is more than 6σ: a fair spread never fails it, while
     * one worker taking (nearly) all, or a 60/40 skew, does.
     */
    private static final int MAX_DEVIATION = 100;

    @Test
    void thousandConnectionsSpreadOverBothWorkers(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("site.pem");
        SelfSignedCertificate.write(pem, List.of("localhost", "127.0.0.1"));
        int port = Ports.free();
        int metrics = ResumptionAcrossWorkersIT.freePair();
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess fleet = Sluice.terminator("--frontend=[127.0.0.1]:" + port,
                     "--backend=[127.0.0.1]:" + backend.port(), "--workers=2", "--cpus=0-1",
                     "--metrics=[127.0.0.1]:" + metrics, pem.toString())) {
            fleet.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
            fleet.awaitListening("127.0.0.1", metrics, Duration.ofSeconds(60));
            fleet.awaitListening("127.0.0.1", metrics + 1, Duration.ofSeconds(60));
            // Both workers bound their metrics port (a worker is ready only once every listener is bound).
            fleet.awaitOutput("(?s)summary: ready: pid.*summary: ready: pid", Duration.ofSeconds(60));
            // awaitListening opened a connection to the frontend: counted by one worker.
            long before = accepted(metrics) + accepted(metrics + 1);
            for (int i = 0; i < CONNECTIONS; i++) {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
            }
            long zero = 0;
            long one = 0;
            for (int poll = 0; poll < 200 && zero + one < before + CONNECTIONS; poll++) {
                Thread.sleep(50);
                zero = accepted(metrics);
                one = accepted(metrics + 1);
            }
            assertEquals(before + CONNECTIONS, zero + one, "every connection accepted by one of the workers");
            long half = (before + CONNECTIONS) / 2;
            System.out.printf("ReusePortSpreadIT: worker 0 accepted %d, worker 1 accepted %d of %d%n", zero, one,
                    before + CONNECTIONS);
            assertTrue(Math.abs(zero - half) <= MAX_DEVIATION && Math.abs(one - half) <= MAX_DEVIATION,
                    "worker 0: " + zero + ", worker 1: " + one + " (expected each " + half + " ± " + MAX_DEVIATION + ")");
        }
    }

    private static long accepted(int metricsPort) throws Exception {
        return FleetClient.value(FleetClient.metrics(metricsPort), "sluice_terminator_connections_accepted_total");
    }
}
