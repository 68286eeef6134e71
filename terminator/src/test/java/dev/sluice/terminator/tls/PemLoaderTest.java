package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemLoaderTest {
    private static final KeyPair RSA = TestCerts.rsa();
    private static final KeyPair EC = TestCerts.ec();

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private CertifiedKey load(PemSource source) throws TlsException {
        return new PemLoader().load(source, Instant.now(), warnings::add);
    }

    private Path file(String name, String... parts) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("", parts));
    }

    @Test
    void readsPkcs1RsaKeyBeforeTheCertificate() throws Exception {
        X509Certificate cert = TestCerts.current(RSA, "rsa.example", "rsa.example", "*.rsa.example");
        CertifiedKey loaded = load(PemSource.combined(file("a.pem", TestCerts.traditional(RSA), TestCerts.pem(cert))));
        assertEquals(KeyType.RSA, loaded.keyType());
        assertEquals(List.of("rsa.example", "*.rsa.example"), loaded.names());
        assertEquals(cert, loaded.leaf());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void readsSec1EcKeyAfterTheCertificate() throws Exception {
        X509Certificate cert = TestCerts.current(EC, "ec.example", "ec.example");
        CertifiedKey loaded = load(PemSource.combined(file("b.pem", TestCerts.pem(cert), TestCerts.traditional(EC))));
        assertEquals(KeyType.EC, loaded.keyType());
        assertEquals(0x0403, loaded.ecdsaScheme());
    }

    @Test
    void readsPkcs8KeyFromASeparateFile() throws Exception {
        X509Certificate cert = TestCerts.current(EC, "sep.example", "sep.example");
        CertifiedKey loaded = load(new PemSource(file("c.crt", TestCerts.pem(cert)), file("c.key", TestCerts.pkcs8(EC))));
        assertEquals(KeyType.EC, loaded.keyType());
        assertEquals(List.of("sep.example"), loaded.names());
    }

    @Test
    void putsTheLeafFirstWhateverTheFileOrder() throws Exception {
        X509Certificate other = TestCerts.current(RSA, "ca.example");
        X509Certificate leaf = TestCerts.current(EC, "leaf.example", "leaf.example");
        CertifiedKey loaded = load(PemSource.combined(
                file("d.pem", TestCerts.pem(other), TestCerts.pkcs8(EC), TestCerts.pem(leaf))));
        assertEquals(List.of(leaf, other), loaded.chain());
    }

    @Test
    void usesTheCommonNameWhenThereIsNoSan() throws Exception {
        X509Certificate cert = TestCerts.current(RSA, "Cn.Example");
        assertEquals(List.of("cn.example"),
                load(PemSource.combined(file("e.pem", TestCerts.pkcs8(RSA), TestCerts.pem(cert)))).names());
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificate() throws Exception {
        X509Certificate cert = TestCerts.current(RSA, "x.example");
        Path pem = file("f.pem", TestCerts.pkcs8(TestCerts.rsa()), TestCerts.pem(cert));
        TlsException e = assertThrows(TlsException.class, () -> load(PemSource.combined(pem)));
        assertTrue(e.getMessage().contains(pem.toString()) && e.getMessage().contains("does not match"),
                e.getMessage());
    }

    @Test
    void refusesAFileWithoutKey() throws Exception {
        Path pem = file("g.pem", TestCerts.pem(TestCerts.current(RSA, "x.example")));
        TlsException e = assertThrows(TlsException.class, () -> load(PemSource.combined(pem)));
        assertTrue(e.getMessage().startsWith(pem.toString()) && e.getMessage().contains("no private key"),
                e.getMessage());
    }

    @Test
    void refusesAFileWithoutCertificate() throws Exception {
        Path pem = file("h.pem", TestCerts.pkcs8(RSA));
        TlsException e = assertThrows(TlsException.class, () -> load(PemSource.combined(pem)));
        assertTrue(e.getMessage().contains("no certificate"), e.getMessage());
    }

    @Test
    void refusesGarbage() throws Exception {
        Path pem = file("i.pem", "this is not a certificate\n");
        TlsException e = assertThrows(TlsException.class, () -> load(PemSource.combined(pem)));
        assertTrue(e.getMessage().startsWith(pem.toString()) && e.getMessage().contains("no PEM data"),
                e.getMessage());
    }

    @Test
    void refusesACorruptPemBlock() throws Exception {
        Path pem = file("j.pem", "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");
        TlsException e = assertThrows(TlsException.class, () -> load(PemSource.combined(pem)));
        assertTrue(e.getMessage().startsWith(pem.toString()), e.getMessage());
    }

    @Test
    void refusesAMissingFile() {
        Path pem = dir.resolve("missing.pem");
        TlsException e = assertThrows(TlsException.class, () -> load(PemSource.combined(pem)));
        assertEquals(pem + ": no such file", e.getMessage());
    }

    @Test
    void refusesTwoKeys() throws Exception {
        X509Certificate cert = TestCerts.current(RSA, "x.example");
        Path pem = file("k.pem", TestCerts.pkcs8(RSA), TestCerts.pkcs8(EC), TestCerts.pem(cert));
        TlsException e = assertThrows(TlsException.class, () -> load(PemSource.combined(pem)));
        assertTrue(e.getMessage().contains("2 private keys"), e.getMessage());
    }

    @Test
    void warnsAboutAnExpiredCertificateButLoadsIt() throws Exception {
        X509Certificate cert = TestCerts.selfSigned(RSA, "old.example", Instant.now().minus(Duration.ofDays(60)),
                Duration.ofDays(30), "old.example");
        Path pem = file("l.pem", TestCerts.pkcs8(RSA), TestCerts.pem(cert));
        load(PemSource.combined(pem));
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().startsWith(pem.toString()) && warnings.getFirst().contains("expired"),
                warnings.toString());
    }

    @Test
    void skipsTheEcParametersBlockOpensslEcparamWrites() throws Exception {
        String parameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        X509Certificate cert = TestCerts.current(EC, "p.example", "p.example");
        CertifiedKey loaded = load(PemSource.combined(
                file("m.pem", parameters, TestCerts.traditional(EC), TestCerts.pem(cert))));
        assertEquals(KeyType.EC, loaded.keyType());
    }

    @Test
    void refusesAnEncryptedKeySayingHowToDecryptIt() throws Exception {
        org.bouncycastle.operator.OutputEncryptor encryptor =
                new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                        org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPassword("pw".toCharArray()).build();
        String encrypted = TestCerts.pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(RSA.getPrivate(),
                encryptor));
        Path pem = file("n.pem", encrypted, TestCerts.pem(TestCerts.current(RSA, "x.example")));
        TlsException e = assertThrows(TlsException.class, () -> load(PemSource.combined(pem)));
        assertTrue(e.getMessage().startsWith(pem.toString()) && e.getMessage().contains("encrypted"),
                e.getMessage());
    }

    @Test
    void ignoresDhParametersHitchUsersAppendWithAWarning() throws Exception {
        String dh = "-----BEGIN DH PARAMETERS-----\nMAYCAQUCAQI=\n-----END DH PARAMETERS-----\n";
        X509Certificate cert = TestCerts.current(RSA, "dh.example", "dh.example");
        Path pem = file("o.pem", TestCerts.pkcs8(RSA), TestCerts.pem(cert), dh);
        assertEquals(KeyType.RSA, load(PemSource.combined(pem)).keyType());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("DH parameters ignored"), warnings.toString());
    }
}
