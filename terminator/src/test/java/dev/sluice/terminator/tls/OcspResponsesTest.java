package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/** Which OCSP responses may be stapled: one test per reason to refuse. */
class OcspResponsesTest {
    private static final KeyPair CA_KEYS = TestCerts.ec();
    private static final X509Certificate CA = TestCerts.selfSigned(CA_KEYS, "Test CA",
            Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
    private static final X509Certificate LEAF = TestCerts.issued(TestCerts.ec(), "leaf.test", 7, CA_KEYS, CA);
    private static final Duration INTERVAL = Duration.ofMinutes(30);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static CertificateID id(long serial) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(CA), BigInteger.valueOf(serial));
    }

    private static byte[] response(long serial, CertificateStatus status, Instant thisUpdate, Instant nextUpdate,
            KeyPair signer, byte[] nonce) throws Exception {
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(new JcaX509CertificateHolder(CA)
                .getSubject()));
        builder.addResponse(id(serial), status, Date.from(thisUpdate),
                nextUpdate == null ? null : Date.from(nextUpdate));
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                    false, new DEROctetString(new DEROctetString(nonce)))));
        }
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()),
                new X509CertificateHolder[0], Date.from(thisUpdate))).getEncoded();
    }

    private static byte[] good(Instant nextUpdate) throws Exception {
        return response(7, CertificateStatus.GOOD, NOW.minusSeconds(60), nextUpdate, CA_KEYS, null);
    }

    private static ServedCert.Staple check(byte[] der, byte[] nonce) throws Exception {
        return OcspResponses.check(der, OcspResponses.idOf(LEAF, CA), CA, nonce, NOW, INTERVAL);
    }

    private static String refusal(byte[] der) {
        return assertThrows(TlsException.class, () -> check(der, null)).getMessage();
    }

    @Test
    void acceptsAGoodCurrentResponseSignedByTheIssuer() throws Exception {
        Instant next = NOW.plus(Duration.ofHours(4));
        byte[] der = good(next);
        ServedCert.Staple staple = check(der, null);
        assertArrayEquals(der, staple.der());
        assertEquals(next, staple.notAfter());
        assertEquals(next.minus(OcspResponses.REFRESH_MARGIN), staple.refreshAt());
    }

    @Test
    void aShortLivedResponseIsRefreshedHalfwayNotInALoop() throws Exception {
        ServedCert.Staple staple = check(good(NOW.plus(Duration.ofMinutes(4))), null);
        assertEquals(NOW.plus(Duration.ofMinutes(2)), staple.refreshAt());
    }

    @Test
    void withoutNextUpdateRefreshesAtTheInterval() throws Exception {
        ServedCert.Staple staple = check(good(null), null);
        assertEquals(NOW.plus(INTERVAL), staple.refreshAt());
        assertEquals(NOW.plus(INTERVAL.multipliedBy(2)), staple.notAfter());
    }

    @Test
    void refusesAnExpiredResponse() throws Exception {
        assertTrue(refusal(good(NOW.minusSeconds(1))).contains("expired"));
    }

    @Test
    void refusesAResponseFromTheFuture() throws Exception {
        byte[] der = response(7, CertificateStatus.GOOD, NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(5)),
                CA_KEYS, null);
        assertTrue(refusal(der).contains("future"));
    }

    @Test
    void refusesARevokedCertificate() throws Exception {
        byte[] der = response(7, new RevokedStatus(Date.from(NOW.minusSeconds(3600)), CRLReason.keyCompromise),
                NOW.minusSeconds(60), NOW.plus(Duration.ofHours(4)), CA_KEYS, null);
        assertTrue(refusal(der).contains("not good"));
    }

    @Test
    void refusesAResponseAboutAnotherCertificate() throws Exception {
        byte[] der = response(8, CertificateStatus.GOOD, NOW.minusSeconds(60), NOW.plus(Duration.ofHours(4)), CA_KEYS,
                null);
        assertTrue(refusal(der).contains("not about this certificate"));
    }

    @Test
    void refusesAResponseSignedBySomeoneElse() throws Exception {
        byte[] der = response(7, CertificateStatus.GOOD, NOW.minusSeconds(60), NOW.plus(Duration.ofHours(4)),
                TestCerts.ec(), null);
        assertTrue(refusal(der).contains("not signed by the issuer"));
    }

    @Test
    void refusesAnotherNonce() throws Exception {
        byte[] der = response(7, CertificateStatus.GOOD, NOW.minusSeconds(60), NOW.plus(Duration.ofHours(4)), CA_KEYS,
                new byte[] {1, 2, 3});
        assertThrows(TlsException.class, () -> check(der, new byte[] {9, 9, 9}));
        check(der, new byte[] {1, 2, 3});
    }

    @Test
    void refusesAnUnsuccessfulStatus() throws Exception {
        byte[] der = new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
        assertTrue(refusal(der).contains("responder status 3"));
    }

    @Test
    void refusesGarbage() {
        assertTrue(refusal(new byte[] {0x30, 0x03, 1, 2, 3}).contains("not a valid OCSP response"));
    }

    @Test
    void namesFilesAsHitchDoes() {
        // hitch: ocsp-dir + "/" + hex(MD5(pem-file path as configured)); `echo -n /etc/x.pem | md5sum`
        assertEquals(java.nio.file.Path.of("/var/lib/hitch/086919bbac3c13088f4023aec7b3bfce"),
                OcspStapler.fileOf(java.nio.file.Path.of("/var/lib/hitch"), java.nio.file.Path.of("/etc/x.pem")));
    }
}
