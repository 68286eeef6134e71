package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real openssl clients against {@link TlsContexts} on loopback: SNI, protocols, ALPN, RSA/ECDSA. */
class TlsContextsIT {
    @TempDir
    static Path dir;
    static TestPki pki;
    static Path defaultPem;
    static Path wwwRsaPem;
    static Path wwwEcPem;

    @BeforeAll
    static void pki() {
        pki = new TestPki(dir);
        defaultPem = pki.combined(pki.leaf("default.test", "rsa", null, "default.test"), "default.pem");
        wwwRsaPem = pki.combined(pki.leaf("www.test", "rsa", null, "www.test", "*.apps.test"), "www-rsa.pem");
        wwwEcPem = pki.combined(pki.leaf("www.test", "ec", null, "www.test", "*.apps.test"), "www-ec.pem");
    }

    private static TlsSettings settings() {
        return TlsSettings.defaults(List.of(PemSource.combined(defaultPem), PemSource.combined(wwwRsaPem),
                PemSource.combined(wwwEcPem)));
    }

    private static String sClient(TlsSettings settings, String... args) throws Exception {
        try (TlsContexts contexts = TlsContexts.load(settings); TlsTestServer server = new TlsTestServer(contexts)) {
            return SClient.run(server.port(), args);
        }
    }

    @Test
    void servesTheDefaultCertificateWithoutSni() throws Exception {
        String out = sClient(settings(), "-noservername");
        assertEquals("default.test", SClient.subjectCn(out), out);
        assertTrue(out.contains("OK sni=null"), out);
    }

    @Test
    void theDefaultNameAlsoOffersItsOtherKeyType() throws Exception {
        TlsSettings pair = TlsSettings.defaults(List.of(PemSource.combined(wwwRsaPem), PemSource.combined(wwwEcPem)));
        String ecdsa = sClient(pair, "-noservername");
        assertEquals("256", SClient.publicKeyBits(ecdsa), ecdsa);
        String rsa = sClient(pair, "-noservername", "-sigalgs", "rsa_pss_rsae_sha256");
        assertEquals("2048", SClient.publicKeyBits(rsa), rsa);
    }

    @Test
    void servesTheDefaultCertificateForAnUnknownName() throws Exception {
        String out = sClient(settings(), "-servername", "unknown.test");
        assertEquals("default.test", SClient.subjectCn(out), out);
    }

    @Test
    void abortsAnUnknownNameWithSniNoMatchAbort() throws Exception {
        String out = sClient(settings().withSniNoMatchAbort(true), "-servername", "unknown.test");
        assertTrue(out.contains("unrecognized name") || out.contains("alert number 112"), out);
        assertNull(SClient.subjectCn(out), out);
    }

    @Test
    void sniNoMatchAbortStillServesClientsWithoutSni() throws Exception {
        String out = sClient(settings().withSniNoMatchAbort(true), "-noservername");
        assertEquals("default.test", SClient.subjectCn(out), out);
    }

    @Test
    void matchesAWildcardName() throws Exception {
        String out = sClient(settings(), "-servername", "shop.apps.test");
        assertEquals("www.test", SClient.subjectCn(out), out);
        assertTrue(out.contains("OK sni=shop.apps.test"), out);
    }

    @Test
    void ecdsaCapableTls13ClientGetsTheEcdsaCertificate() throws Exception {
        String out = sClient(settings(), "-servername", "www.test", "-tls1_3");
        assertEquals("www.test", SClient.subjectCn(out), out);
        assertEquals("256", SClient.publicKeyBits(out), out);
        assertTrue(out.contains("TLSv1.3"), out);
    }

    @Test
    void rsaOnlyTls13ClientGetsTheRsaCertificate() throws Exception {
        String out = sClient(settings(), "-servername", "www.test", "-tls1_3",
                "-sigalgs", "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pkcs1_sha256");
        assertEquals("www.test", SClient.subjectCn(out), out);
        assertEquals("2048", SClient.publicKeyBits(out), out);
    }

    @Test
    void ecdsaCapableTls12ClientGetsTheEcdsaCertificate() throws Exception {
        String out = sClient(settings(), "-servername", "www.test", "-tls1_2");
        assertEquals("256", SClient.publicKeyBits(out), out);
        assertTrue(out.contains("ECDHE-ECDSA-"), out);
    }

    @Test
    void factsGiveOpensslNamesForProxyHeaders() throws Exception {
        try (TlsContexts contexts = TlsContexts.load(settings()); TlsTestServer server = new TlsTestServer(contexts)) {
            SClient.run(server.port(), "-servername", "www.test", "-tls1_2");
            String facts = server.events.stream().filter(e -> e.startsWith("facts ")).findFirst().orElseThrow();
            assertEquals("facts TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256 sni=www.test resumed=false", facts);
        }
    }

    @Test
    void rsaOnlyTls12ClientGetsTheRsaCertificate() throws Exception {
        String out = sClient(settings(), "-servername", "www.test", "-tls1_2",
                "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384");
        assertEquals("2048", SClient.publicKeyBits(out), out);
        assertTrue(out.contains("ECDHE-RSA-AES128-GCM-SHA256"), out);
    }

    @Test
    void defaultProfileRefusesNonForwardSecretCiphers() throws Exception {
        String out = sClient(settings(), "-servername", "www.test", "-tls1_2", "-cipher", "AES128-GCM-SHA256");
        assertNull(SClient.publicKeyBits(out), out);
        assertTrue(out.contains("alert") || out.contains("handshake failure"), out);
    }

    @Test
    void protocolsLimitTheVersions() throws Exception {
        TlsSettings only13 = settings().withCiphers(List.of("TLSv1.3"), null, null, List.of(), true);
        String refused = sClient(only13, "-servername", "www.test", "-tls1_2");
        assertNull(SClient.publicKeyBits(refused), refused);
        String accepted = sClient(only13, "-servername", "www.test");
        assertTrue(accepted.contains("TLSv1.3"), accepted);
    }

    @Test
    void configuredCipherListAndCurvesApply() throws Exception {
        TlsSettings custom = settings().withCiphers(List.of("TLSv1.2"), "ECDHE+CHACHA20", null, List.of("P-384"),
                true);
        String out = sClient(custom, "-servername", "www.test");
        assertTrue(out.contains("ECDHE-ECDSA-CHACHA20-POLY1305"), out);
        assertTrue(out.contains("Server Temp Key: ECDH, secp384r1"), out);
    }

    @Test
    void serverPreferenceDecidesTheCipher() throws Exception {
        String order = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256";
        String clientOrder = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384";
        TlsSettings server = settings().withCiphers(List.of("TLSv1.2"), order, null, List.of(), true);
        assertTrue(sClient(server, "-servername", "www.test", "-cipher", clientOrder)
                .contains("ECDHE-ECDSA-AES256-GCM-SHA384"));
        TlsSettings client = settings().withCiphers(List.of("TLSv1.2"), order, null, List.of(), false);
        String out = sClient(client, "-servername", "www.test", "-cipher", clientOrder);
        assertTrue(out.contains("ECDHE-ECDSA-AES128-GCM-SHA256"), out);
    }

    @Test
    void alpnFollowsTheServersPreference() throws Exception {
        TlsSettings alpn = settings().withAlpn(List.of("h2", "http/1.1"));
        String out = sClient(alpn, "-servername", "www.test", "-alpn", "http/1.1,h2");
        assertTrue(out.contains("ALPN protocol: h2"), out);
        assertTrue(out.contains("alpn=h2"), out);
        String old = sClient(alpn, "-servername", "www.test", "-alpn", "http/1.1");
        assertTrue(old.contains("ALPN protocol: http/1.1"), old);
    }

    @Test
    void curlVerifiesTheChainAndNameAndNegotiatesAlpn() throws Exception {
        TlsSettings alpn = settings().withAlpn(List.of("h2", "http/1.1"));
        try (TlsContexts contexts = TlsContexts.load(alpn); TlsTestServer server = new TlsTestServer(contexts)) {
            String url = "https://shop.apps.test:" + server.port() + "/";
            dev.sluice.testkit.ExternalProcess.Result result = dev.sluice.testkit.ExternalProcess.run("curl",
                    List.of("curl", "-sS", "-v", "--http1.1", "--http0.9", "--cacert", pki.caCert.toString(),
                            "--resolve", "shop.apps.test:" + server.port() + ":127.0.0.1", url),
                    java.time.Duration.ofSeconds(30));
            assertTrue(result.output().contains("OK sni=shop.apps.test alpn=http/1.1"), result.output());
            assertTrue(result.output().contains("SSL certificate verify ok"), result.output());
        }
    }
}
