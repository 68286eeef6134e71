package dev.sluice.terminator.tls;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Decides whether an OCSP response may be stapled for a certificate: a successful basic response,
 * signed by the issuer or by a responder certificate the issuer delegated (id-kp-OCSPSigning), for
 * this certificate's ID, status good, current (thisUpdate not in the future, nextUpdate not past),
 * and echoing our nonce when we sent one and it answered with one. Pure over its inputs.
 */
final class OcspResponses {
    /** Clock difference tolerated between us and the responder. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Refresh this long before nextUpdate (hitch uses the same margin). */
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(10);

    private OcspResponses() {
    }

    /** The certificate ID (SHA-1, as RFC 5019 requires of lightweight responders) of {@code leaf}. */
    static CertificateID idOf(X509Certificate leaf, X509Certificate issuer) throws TlsException {
        try {
            return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
        } catch (OCSPException | OperatorCreationException | CertificateEncodingException e) {
            throw new TlsException("cannot make an OCSP certificate ID for " + leaf.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks {@code der}; returns it as a staple (with when it stops being stapleable and when to
     * refresh it), or throws with the reason it must never be stapled.
     */
    static ServedCert.Staple check(byte[] der, CertificateID id, X509Certificate issuer, byte[] nonce, Instant now,
            Duration refreshInterval) throws TlsException {
        try {
            OCSPResp response = new OCSPResp(der);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new TlsException("responder status " + response.getStatus() + " (expected 0, successful)");
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                throw new TlsException("not a basic OCSP response");
            }
            verifySignature(basic, issuer);
            if (nonce != null) {
                Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
                if (echoed != null && !Arrays.equals(echoed.getExtnValue().getOctets(),
                        new DEROctetString(nonce).getEncoded())) {
                    throw new TlsException("the response's nonce is not ours");
                }
            }
            SingleResp single = null;
            for (SingleResp candidate : basic.getResponses()) {
                if (candidate.getCertID().equals(id)) {
                    single = candidate;
                }
            }
            if (single == null) {
                throw new TlsException("the response is not about this certificate (serial "
                        + id.getSerialNumber() + ")");
            }
            if (single.getCertStatus() != null) {
                throw new TlsException("certificate status is " + single.getCertStatus().getClass().getSimpleName()
                        + ", not good");
            }
            Instant thisUpdate = single.getThisUpdate().toInstant();
            if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
                throw new TlsException("thisUpdate " + thisUpdate + " is in the future");
            }
            Date next = single.getNextUpdate();
            if (next == null) {
                // No nextUpdate: newer information may be available at any time (RFC 6960 4.2.2.1);
                // refresh at the configured interval and stop stapling if refreshes keep failing.
                return new ServedCert.Staple(der, now.plus(refreshInterval.multipliedBy(2)),
                        now.plus(refreshInterval));
            }
            Instant nextUpdate = next.toInstant();
            if (!nextUpdate.isAfter(now)) {
                throw new TlsException("the response expired at nextUpdate " + nextUpdate);
            }
            // Refresh REFRESH_MARGIN before nextUpdate; a response that lives shorter than twice the
            // margin is refreshed halfway through its life, so a short-lived one cannot make us
            // query the responder in a tight loop.
            Instant beforeExpiry = nextUpdate.minus(REFRESH_MARGIN);
            Instant halfway = now.plus(Duration.between(now, nextUpdate).dividedBy(2));
            return new ServedCert.Staple(der, nextUpdate, beforeExpiry.isAfter(halfway) ? beforeExpiry : halfway);
        } catch (IOException | OCSPException e) {
            throw new TlsException("not a valid OCSP response: " + e.getMessage(), e);
        }
    }

    private static void verifySignature(BasicOCSPResp basic, X509Certificate issuer)
            throws TlsException, OCSPException, IOException {
        try {
            JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
            X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
            if (basic.isSignatureValid(verifiers.build(issuerHolder))) {
                return;
            }
            for (X509CertificateHolder responder : basic.getCerts()) {
                ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(responder.getExtensions());
                boolean delegated = usage != null && usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)
                        && responder.getIssuer().equals(issuerHolder.getSubject())
                        && responder.isSignatureValid(verifiers.build(issuerHolder));
                if (delegated && basic.isSignatureValid(verifiers.build(responder))) {
                    return;
                }
            }
        } catch (OperatorCreationException | CertificateException | CertException e) {
            throw new TlsException("cannot verify the response's signature: " + e.getMessage(), e);
        }
        throw new TlsException("the response is not signed by the issuer nor by a responder it delegated");
    }
}
