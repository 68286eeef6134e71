package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A responder that accepts but never answers costs one response timeout, not a stuck stapler. */
class OcspFetchIT {
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void aSilentResponderTimesOut() throws Exception {
        KeyPair caKeys = TestCerts.ec();
        X509Certificate ca = TestCerts.selfSigned(caKeys, "CA", Instant.now().minus(Duration.ofDays(1)),
                Duration.ofDays(30));
        X509Certificate leaf = TestCerts.issued(TestCerts.ec(), "leaf.test", 5, caKeys, ca);
        TlsSettings settings = new TlsSettings(List.of(PemSource.combined(dir.resolve("unused.pem"))),
                List.of("TLSv1.3"), null, null, List.of(), true, List.of(), false, Files.createDirectory(
                        dir.resolve("ocsp")), Duration.ofSeconds(2), RESPONSE_TIMEOUT, Duration.ofMinutes(30), true,
                null, Duration.ofSeconds(10));
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                OcspStapler stapler = OcspStapler.start(settings, List.of(), null)) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket held = silent.accept()) {
                    Thread.sleep(Duration.ofSeconds(10));
                } catch (Exception e) {
                    // closed by the test
                }
            });
            URI responder = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
            // The response timeout (not the responder's 10 s of silence) ends the fetch.
            assertThrows(HttpTimeoutException.class,
                    () -> stapler.fetch(OcspResponses.idOf(leaf, ca), new byte[16], responder));
            acceptor.interrupt();
        }
    }
}
