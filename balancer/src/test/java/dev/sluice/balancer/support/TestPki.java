package dev.sluice.balancer.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made with Bouncy Castle and written as PEM files an nginx or HAProxy reads: an
 * authority, certificates it signs (server ones with DNS names, client ones), and their keys (PKCS#8).
 * The files are world-readable: nginx workers read them as an unprivileged user.
 */
public final class TestPki {
    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;

    public TestPki(Path dir) {
        this.dir = dir;
    }

    /** A certificate with its key: {@code NAME.crt}, {@code NAME.key} and both in {@code NAME.pem}. */
    public record Issued(X509Certificate certificate, KeyPair keys, Path crt, Path key, Path pem) {
    }

    /** A self-signed authority named {@code cn}. */
    public Issued authority(String name, String cn) {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + cn);
        return write(name, sign(subject, keys, subject, keys, true, new String[0]), keys);
    }

    /** A certificate for {@code subject} ("CN=…,O=…") with DNS names {@code dns}, signed by {@code ca}. */
    public Issued issue(String name, Issued ca, String subject, String... dns) {
        KeyPair keys = keys();
        X509Certificate certificate = sign(new X500Name(subject), keys,
                new X500Name(ca.certificate().getSubjectX500Principal().getName()), ca.keys(), false, dns);
        return write(name, certificate, keys);
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                        boolean authority, String[] dns) {
        try {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (dns.length > 0) {
                GeneralName[] names = new GeneralName[dns.length];
                for (int i = 0; i < dns.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dns[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Issued write(String name, X509Certificate certificate, KeyPair keys) {
        try {
            String crt = pem(certificate);
            String key = pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null).generate());
            Path crtFile = readable(Files.writeString(dir.resolve(name + ".crt"), crt));
            Path keyFile = readable(Files.writeString(dir.resolve(name + ".key"), key));
            Path pemFile = readable(Files.writeString(dir.resolve(name + ".pem"), crt + key));
            return new Issued(certificate, keys, crtFile, keyFile, pemFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static Path readable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }
}
