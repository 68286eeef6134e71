package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.terminator.demo.SelfSignedCertificate;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4: Debian's testssl (protocols, cipher categories, server defaults, vulnerabilities) against the
 * terminator with a self-signed ECDSA P-256 certificate on loopback finds nothing HIGH or
 * CRITICAL except the certificate's trust, which a self-signed certificate cannot have.
 */
class TestsslIT {
    /** testssl's own bound; the checks chosen take well under a minute here. */
    private static final Duration TESTSSL_TIMEOUT = Duration.ofSeconds(240);
    private static final Pattern FINDING = Pattern.compile(
            "\\{[^{}]*?\"id\"\\s*:\\s*\"([^\"]*)\"[^{}]*?\"severity\"\\s*:\\s*\"([A-Z]+)\"[^{}]*?\"finding\"\\s*:\\s*\"([^\"]*)\"");
    /**
     * Findings about trust in the certificate itself, which a self-signed test certificate cannot
     * pass: no chain of trust (CRITICAL) and no CRL or OCSP URI to check revocation at (HIGH).
     * They say nothing about the server.
     */
    private static final Pattern TRUST = Pattern.compile("cert_chain_of_trust.*|cert_trust.*|cert_revocation.*");

    @Test
    void noHighOrCriticalFindingBesidesTheSelfSignedTrust(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("site.pem");
        SelfSignedCertificate.write(pem, List.of("localhost", "127.0.0.1"));
        int port = Ports.free();
        Path json = dir.resolve("testssl.json");
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess terminator = Sluice.terminator("--frontend=[127.0.0.1]:" + port,
                     "--backend=[127.0.0.1]:" + backend.port(), "--workers=1", pem.toString())) {
            terminator.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
            long started = System.nanoTime();
            ExternalProcess.Result scan = ExternalProcess.run("testssl", List.of(Sluice.tool("testssl"),
                    "--jsonfile", json.toString(), "--nodns", "none", "--warnings", "batch", "--color", "0",
                    "--ip", "127.0.0.1", "-p", "-s", "-S", "-U", "127.0.0.1:" + port), TESTSSL_TIMEOUT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String report = Files.readString(json, StandardCharsets.UTF_8);
            List<String> serious = new ArrayList<>();
            int findings = 0;
            Matcher matcher = FINDING.matcher(report);
            while (matcher.find()) {
                findings++;
                String id = matcher.group(1);
                String severity = matcher.group(2);
                if ((severity.equals("HIGH") || severity.equals("CRITICAL")) && !TRUST.matcher(id).matches()) {
                    serious.add(severity + " " + id + ": " + matcher.group(3));
                }
            }
            assertTrue(findings > 20, "testssl reported almost nothing; did it reach the port?\n" + scan.output());
            assertTrue(report.contains("\"TLS1_3\"") && report.contains("offered"), "TLS 1.3 probed\n" + report);
            assertTrue(report.contains("\"cert_chain_of_trust\""), "the certificate checks ran (-S)\n" + report);
            assertEquals(List.of(), serious, "testssl findings\n" + scan.output());
            System.out.printf("TestsslIT: %d findings, none HIGH/CRITICAL besides trust; testssl took %d s%n",
                    findings, took.toSeconds());
        }
    }
}
