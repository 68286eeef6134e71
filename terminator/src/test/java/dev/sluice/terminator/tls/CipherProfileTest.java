package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Cipher lists are expanded by BoringSSL itself; what it cannot honour is refused. */
class CipherProfileTest {
    @Test
    void defaultProfileIsForwardSecretAeadOnly() throws Exception {
        List<String> ciphers = CipherProfile.expand(CipherProfile.DEFAULT_TLS12);
        assertEquals(6, ciphers.size(), ciphers.toString());
        for (String cipher : ciphers) {
            assertTrue(cipher.startsWith("ECDHE-") && (cipher.contains("GCM") || cipher.contains("CHACHA20")),
                    cipher);
        }
    }

    @Test
    void expandsOpenSslExpressions() throws Exception {
        List<String> ciphers = CipherProfile.expand("ECDHE+AESGCM:!ECDSA");
        assertTrue(ciphers.contains("ECDHE-RSA-AES128-GCM-SHA256"), ciphers.toString());
        assertFalse(ciphers.stream().anyMatch(c -> c.contains("ECDSA")), ciphers.toString());
    }

    @Test
    void refusesAListBoringSslRejects() {
        TlsException e = assertThrows(TlsException.class, () -> CipherProfile.expand("NOT-A-CIPHER"));
        assertTrue(e.getMessage().startsWith("ciphers: \"NOT-A-CIPHER\""), e.getMessage());
    }

    @Test
    void tls13SuitesMustBeAllThreeBecauseBoringSslCannotRestrictThem() throws Exception {
        CipherProfile.checkTls13Suites(null);
        CipherProfile.checkTls13Suites("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256");
        TlsException partial = assertThrows(TlsException.class,
                () -> CipherProfile.checkTls13Suites("TLS_AES_256_GCM_SHA384"));
        assertTrue(partial.getMessage().contains("cannot disable"), partial.getMessage());
        assertThrows(TlsException.class, () -> CipherProfile.checkTls13Suites("TLS_AES_128_CCM_SHA256"));
    }

    @Test
    void curvesAcceptOpenSslAndTlsNames() throws Exception {
        assertArrayEquals(new String[] {"X25519", "P-256"}, CipherProfile.groups(List.of()));
        assertArrayEquals(new String[] {"P-256", "P-384"}, CipherProfile.groups(List.of("prime256v1", "secp384r1")));
        TlsException e = assertThrows(TlsException.class, () -> CipherProfile.groups(List.of("brainpool")));
        assertTrue(e.getMessage().startsWith("curves: unknown curve \"brainpool\""), e.getMessage());
    }

    @Test
    void ecdsaSuitePredicateFollowsTheEnabledList() throws Exception {
        TlsSettings settings = TlsSettings.defaults(List.of(PemSource.combined(java.nio.file.Path.of("x"))))
                .withCiphers(List.of("TLSv1.2"), "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256", null,
                        List.of(), true);
        CipherProfile profile = CipherProfile.resolve(settings);
        assertTrue(profile.enablesEcdsaSuite(0xC02C));
        assertFalse(profile.enablesEcdsaSuite(0xC02B));
        assertFalse(profile.enablesEcdsaSuite(0xC02F));
    }
}
