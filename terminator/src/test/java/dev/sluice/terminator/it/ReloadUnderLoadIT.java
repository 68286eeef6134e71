package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.terminator.demo.SelfSignedCertificate;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's hitless reload: {@code --workers=2} under continuous HTTPS load (a new TLS connection
 * per request), 20 SIGHUPs to the supervisor with a new certificate before every other one.
 * No request may fail, and after each certificate change new connections get the new one.
 */
class ReloadUnderLoadIT {
    private static final int RELOADS = 20;
    private static final int CLIENTS = 4;
    /** Time between reloads, so that connections are in every phase when the next one lands. */
    private static final Duration PACE = Duration.ofMillis(250);
    private static final Duration NEW_CERT_WITHIN = Duration.ofSeconds(10);

    @Test
    void twentyReloadsUnderLoadFailNothing(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("site.pem");
        SelfSignedCertificate.write(pem, List.of("localhost", "127.0.0.1"));
        int port = Ports.free();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess fleet = Sluice.terminator("--frontend=[127.0.0.1]:" + port,
                     "--backend=[127.0.0.1]:" + backend.port(), "--workers=2", "--cpus=0-1", pem.toString())) {
            fleet.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
            fleet.awaitOutput("(?s)summary: ready: pid.*summary: ready: pid", Duration.ofSeconds(60));
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                load.add(clients.submit(() -> {
                    while (running.get()) {
                        try {
                            FleetClient.Answer answer = FleetClient.request(port);
                            if (answer.text().startsWith("HTTP/1.1 200") && answer.text().endsWith("ok")) {
                                ok.incrementAndGet();
                            } else {
                                failures.add("bad answer: " + answer.text());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            int changes = 0;
            for (int reload = 1; reload <= RELOADS; reload++) {
                X509Certificate expected = null;
                if (reload % 2 == 1) {
                    SelfSignedCertificate.write(pem, List.of("localhost", "127.0.0.1"));
                    expected = FleetClient.certificate(pem);
                    changes++;
                }
                fleet.signal("HUP");
                if (expected != null) {
                    awaitCertificate(port, expected, fleet);
                }
                Thread.sleep(PACE.toMillis());
            }
            running.set(false);
            for (Future<?> client : load) {
                client.get(60, TimeUnit.SECONDS);
            }
            long reloaded = fleet.output().lines().filter(line -> line.contains("reloaded: new connections")).count();
            assertEquals(2L * RELOADS, reloaded, "every worker reloads on every SIGHUP\n" + fleet.describe());
            assertEquals(List.of(), List.copyOf(failures), "requests failed during reloads; " + ok.get() + " ok");
            assertTrue(ok.get() >= 100, "too little load to prove anything: " + ok.get() + " requests");
            System.out.printf("ReloadUnderLoadIT: %d requests (each a new TLS connection), %d reloads, %d certificate"
                    + " changes, 0 failures%n", ok.get(), RELOADS, changes);
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
    }

    /** Fresh connections reach both workers by the kernel's hash: wait until several in a row show {@code expected}. */
    private static void awaitCertificate(int port, X509Certificate expected, ExternalProcess fleet) throws Exception {
        long deadline = System.nanoTime() + NEW_CERT_WITHIN.toNanos();
        int inARow = 0;
        while (inARow < 8) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("new connections still get the old certificate after " + NEW_CERT_WITHIN
                        + "\n" + fleet.describe());
            }
            X509Certificate leaf = FleetClient.request(port).leaf();
            inARow = leaf.equals(expected) ? inARow + 1 : 0;
        }
    }
}
