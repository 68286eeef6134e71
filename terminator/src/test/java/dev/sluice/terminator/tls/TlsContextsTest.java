package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading refusals and warnings of a frontend's TLS, without sockets. */
class TlsContextsTest {
    private static final KeyPair KEYS = TestCerts.ec();

    @TempDir
    Path dir;

    private Path pem(String file, java.security.cert.X509Certificate cert) throws Exception {
        return Files.writeString(dir.resolve(file), TestCerts.pkcs8(KEYS) + TestCerts.pem(cert));
    }

    private TlsSettings settings(String... sans) throws Exception {
        return TlsSettings.defaults(List.of(PemSource.combined(pem("a.pem", TestCerts.current(KEYS, "a.test", sans)))));
    }

    @Test
    void refusesAMissingOcspDir() throws Exception {
        Path missing = dir.resolve("no-such-dir");
        TlsException e = assertThrows(TlsException.class,
                () -> TlsContexts.load(settings("a.test").withOcsp(missing, false, Duration.ofMinutes(30))));
        assertTrue(e.getMessage().startsWith("ocsp-dir: " + missing), e.getMessage());
    }

    @Test
    void refusesTls13SuitesBoringSslCannotRestrict() throws Exception {
        TlsSettings partial = settings("a.test").withCiphers(List.of("TLSv1.3"), null, "TLS_AES_128_GCM_SHA256",
                List.of(), true);
        TlsException e = assertThrows(TlsException.class, () -> TlsContexts.load(partial));
        assertTrue(e.getMessage().startsWith("ciphersuites:"), e.getMessage());
    }

    @Test
    void refusesAnUnreadableTicketKeyFile() throws Exception {
        Path keys = Files.write(dir.resolve("keys"), new byte[10]);
        TlsException e = assertThrows(TlsException.class,
                () -> TlsContexts.load(settings("a.test").withTicketKeyFile(keys)));
        assertTrue(e.getMessage().startsWith(keys + ": 10 bytes"), e.getMessage());
    }

    @Test
    void warnsAboutExpiredCertificatesAndUnmatchableNames() throws Exception {
        Path expired = pem("old.pem", TestCerts.selfSigned(KEYS, "old.test", Instant.now().minus(Duration.ofDays(90)),
                Duration.ofDays(30), "old.test", "w*.test"));
        try (TlsContexts contexts = TlsContexts.load(TlsSettings.defaults(List.of(PemSource.combined(expired))))) {
            assertEquals(2, contexts.warnings().size(), contexts.warnings().toString());
            assertTrue(contexts.warnings().get(0).contains("expired"), contexts.warnings().toString());
            assertTrue(contexts.warnings().get(1).contains("w*.test"), contexts.warnings().toString());
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        TlsContexts contexts = TlsContexts.load(settings("a.test"));
        contexts.close();
        contexts.close();
    }
}
