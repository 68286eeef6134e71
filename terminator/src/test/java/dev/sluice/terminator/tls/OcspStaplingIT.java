package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;

/**
 * OCSP stapling against a real `openssl ocsp` responder on loopback: a good certificate's response
 * is fetched, checked, stored under hitch's file name and stapled; a revoked certificate's response
 * is never stapled; a response stored in ocsp-dir is stapled at load without a responder.
 */
class OcspStaplingIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private ExternalProcess responder(TestPki pki, Path index, int port, String... extra) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "ocsp", "-port", Integer.toString(port),
                "-index", index.toString(), "-CA", pki.caCert.toString(), "-rsigner", pki.caCert.toString(),
                "-rkey", pki.caKey.toString(), "-nmin", "60", "-ignore_err"));
        command.addAll(List.of(extra));
        return ExternalProcess.start("openssl-ocsp", command)
                // Not awaitListening: openssl 3.0's responder hangs on a connection closed without a
                // request, which is what a connect probe is; it announces readiness instead.
                .awaitOutput("waiting for OCSP client connections", WAIT);
    }

    private TlsSettings settings(Path pem, Path ocspDir) {
        return TlsSettings.defaults(List.of(PemSource.combined(pem))).withOcsp(ocspDir, true, Duration.ofSeconds(1800));
    }

    private static String status(int port, String name) {
        return SClient.run(port, "-servername", name, "-status");
    }

    /** Polls s_client until it reports a stapled response, bounded by {@link #WAIT}. */
    private static String awaitStaple(int port, String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String out = status(port, name);
        while (!out.contains("OCSP Response Status: successful") && System.nanoTime() < deadline) {
            Thread.sleep(POLL);
            out = status(port, name);
        }
        return out;
    }

    @Test
    void fetchesVerifiesStoresAndStaplesAGoodResponse() throws Exception {
        TestPki pki = new TestPki(dir);
        int ocspPort = Ports.free();
        Path pem = pki.combined(pki.leaf("good.test", "ec", "http://127.0.0.1:" + ocspPort + "/", "good.test"),
                "good.pem");
        Path ocspDir = Files.createDirectory(dir.resolve("ocsp"));
        try (ExternalProcess responder = responder(pki, pki.index(), ocspPort);
                TlsContexts contexts = TlsContexts.load(settings(pem, ocspDir));
                TlsTestServer server = new TlsTestServer(contexts)) {
            String out = awaitStaple(server.port(), "good.test");
            assertTrue(out.contains("OCSP Response Status: successful"), out + responder.describe());
            assertTrue(out.contains("Cert Status: good"), out);
            Path stored = OcspStapler.fileOf(ocspDir, pem);
            assertTrue(Files.isRegularFile(stored), "expected the response in " + stored);
        }
    }

    @Test
    void neverStaplesARevokedCertificatesResponse() throws Exception {
        TestPki pki = new TestPki(dir);
        int ocspPort = Ports.free();
        TestPki.Leaf leaf = pki.leaf("revoked.test", "rsa", "http://127.0.0.1:" + ocspPort + "/", "revoked.test");
        Path pem = pki.combined(leaf, "revoked.pem");
        Path ocspDir = Files.createDirectory(dir.resolve("ocsp"));
        // -nrequest 1: the responder exits once it has answered our one request.
        try (ExternalProcess responder = responder(pki, pki.index(leaf.serial()), ocspPort, "-nrequest", "1");
                TlsContexts contexts = TlsContexts.load(settings(pem, ocspDir));
                TlsTestServer server = new TlsTestServer(contexts)) {
            responder.awaitExit(WAIT);
            String out = status(server.port(), "revoked.test");
            assertTrue(out.contains("OCSP response: no response sent"), out);
            assertTrue(!Files.exists(OcspStapler.fileOf(ocspDir, pem)), "a refused response must not be stored");
        }
    }

    @Test
    void staplesAResponseStoredInOcspDirWithoutAResponder() throws Exception {
        TestPki pki = new TestPki(dir);
        int ocspPort = Ports.free();
        TestPki.Leaf leaf = pki.leaf("cached.test", "ec", null, "cached.test");
        Path pem = pki.combined(leaf, "cached.pem");
        Path ocspDir = Files.createDirectory(dir.resolve("ocsp"));
        Path stored = OcspStapler.fileOf(ocspDir, pem);
        try (ExternalProcess responder = responder(pki, pki.index(), ocspPort)) {
            ExternalProcess.run("openssl-ocsp-client", List.of("openssl", "ocsp", "-issuer", pki.caCert.toString(),
                    "-cert", leaf.cert().toString(), "-url", "http://127.0.0.1:" + ocspPort + "/",
                    "-respout", stored.toString(), "-noverify"), WAIT).assertExit(0);
        }
        byte[] der = Files.readAllBytes(stored);
        try (TlsContexts contexts = TlsContexts.load(settings(pem, ocspDir));
                TlsTestServer server = new TlsTestServer(contexts)) {
            String out = status(server.port(), "cached.test");
            assertTrue(out.contains("OCSP Response Status: successful") && out.contains("Cert Status: good"), out);
        }
        assertArrayEquals(der, Files.readAllBytes(stored), "the cached response is left as it was");
    }
}
