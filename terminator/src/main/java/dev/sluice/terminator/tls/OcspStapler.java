package dev.sluice.terminator.tls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;

/**
 * Keeps an OCSP staple per certificate, hitch-style: a response cached in ocsp-dir (file named by
 * the MD5 of the pem-file path, as hitch names it) is used at start; responses are fetched from the
 * certificate's AIA responder by HTTP POST on one background thread, checked by
 * {@link OcspResponses}, stored in ocsp-dir and swapped in; a refresh is scheduled before nextUpdate.
 * A response that fails a check is never stapled; the previous good one keeps serving until its
 * own nextUpdate. Event loops only read the current staple.
 */
final class OcspStapler implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(OcspStapler.class);
    /** Retry delays after a failed fetch: a refused/broken answer, or an unreachable responder. */
    private static final Duration RETRY_BAD_ANSWER = Duration.ofSeconds(60);
    private static final Duration RETRY_UNREACHABLE = Duration.ofSeconds(300);
    /** Never ask a responder again sooner than this after a good answer. */
    private static final Duration MIN_REFRESH_DELAY = Duration.ofSeconds(10);
    /** An OCSP response is a few KiB; bound what we accept from a responder. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final int NONCE_BYTES = 16;

    private final TlsSettings settings;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    private OcspStapler(TlsSettings settings) {
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("sluice-ocsp").factory());
        this.http = HttpClient.newBuilder().connectTimeout(settings.ocspConnectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Starts stapling for {@code served}; staples of a previous generation carry over for the same certificate. */
    static OcspStapler start(TlsSettings settings, List<ServedCert> served, List<ServedCert> previous) {
        OcspStapler stapler = new OcspStapler(settings);
        for (ServedCert cert : served) {
            stapler.begin(cert, previous);
        }
        return stapler;
    }

    private void begin(ServedCert cert, List<ServedCert> previous) {
        CertifiedKey certified = cert.certified();
        X509Certificate issuer = issuerOf(certified);
        URI responder = responderOf(certified.leaf());
        if (issuer == null) {
            LOG.info("{}: no issuer certificate in the file, so no OCSP stapling", certified.source().certPath());
            return;
        }
        if (previous != null) {
            for (ServedCert old : previous) {
                if (old.certified().leaf().equals(certified.leaf()) && old.staple() != null) {
                    cert.staple(old.staple());
                }
            }
        }
        CertificateID id;
        try {
            id = OcspResponses.idOf(certified.leaf(), issuer);
        } catch (TlsException e) {
            LOG.warn(e.getMessage());
            return;
        }
        Path file = fileOf(settings.ocspDir(), certified.source().certPath());
        if (cert.staple() == null && Files.isRegularFile(file)) {
            try {
                byte[] der = Files.readAllBytes(file);
                cert.staple(OcspResponses.check(der, id, issuer, null, Instant.now(),
                        settings.ocspRefreshInterval()));
                LOG.info("{}: OCSP staple loaded from {}", certified.source().certPath(), file);
            } catch (IOException | TlsException e) {
                LOG.warn("{}: cached OCSP response {} not stapled: {}", certified.source().certPath(), file,
                        e.getMessage());
            }
        }
        if (responder == null) {
            LOG.info("{}: no OCSP responder (AIA) in the certificate; stapling only a response put in {}",
                    certified.source().certPath(), file);
            return;
        }
        schedule(cert, id, issuer, responder, file, delayAfterSuccess(cert.staple()));
    }

    private static Duration delayAfterSuccess(ServedCert.Staple staple) {
        if (staple == null) {
            return Duration.ZERO;
        }
        Duration untilRefresh = Duration.between(Instant.now(), staple.refreshAt());
        return untilRefresh.compareTo(MIN_REFRESH_DELAY) < 0 ? MIN_REFRESH_DELAY : untilRefresh;
    }

    private void schedule(ServedCert cert, CertificateID id, X509Certificate issuer, URI responder, Path file,
            Duration delay) {
        if (scheduler.isShutdown()) {
            return;
        }
        scheduler.schedule(() -> refresh(cert, id, issuer, responder, file), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refresh(ServedCert cert, CertificateID id, X509Certificate issuer, URI responder, Path file) {
        Path source = cert.certified().source().certPath();
        Duration next;
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            byte[] der = fetch(id, nonce, responder);
            ServedCert.Staple staple = OcspResponses.check(der, id, issuer, nonce, Instant.now(),
                    settings.ocspRefreshInterval());
            cert.staple(staple);
            persist(file, der);
            next = delayAfterSuccess(staple);
            LOG.info("{}: OCSP staple from {} valid until {}; next refresh in {}", source, responder,
                    staple.notAfter(), next);
        } catch (IOException e) {
            next = RETRY_UNREACHABLE;
            LOG.warn("{}: OCSP responder {} unreachable: {}; retry in {}", source, responder, e.toString(), next);
        } catch (TlsException e) {
            next = RETRY_BAD_ANSWER;
            LOG.warn("{}: OCSP response from {} refused: {}; retry in {}", source, responder, e.getMessage(), next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        schedule(cert, id, issuer, responder, file, next);
    }

    /** One POST to the responder, bounded by the connect and response timeouts. */
    byte[] fetch(CertificateID id, byte[] nonce, URI responder)
            throws IOException, InterruptedException, TlsException {
        byte[] request;
        try {
            request = new OCSPReqBuilder().addRequest(id)
                    .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                            false, new DEROctetString(new DEROctetString(nonce)))))
                    .build().getEncoded();
        } catch (OCSPException e) {
            throw new TlsException("cannot build the OCSP request: " + e.getMessage(), e);
        }
        HttpRequest post = HttpRequest.newBuilder(responder)
                .timeout(settings.ocspResponseTimeout())
                .header("Content-Type", "application/ocsp-request")
                .header("Accept", "application/ocsp-response")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build();
        HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new TlsException("HTTP status " + response.statusCode());
        }
        byte[] body = response.body();
        if (body.length == 0 || body.length > MAX_RESPONSE_BYTES) {
            throw new TlsException("response of " + body.length + " bytes (expected 1.." + MAX_RESPONSE_BYTES + ")");
        }
        return body;
    }

    private static void persist(Path file, byte[] der) {
        try {
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(temp, der);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot store the OCSP response in {}: {} (stapling goes on from memory)", file, e.toString());
        }
    }

    /** hitch's name for a certificate's cached response: ocsp-dir/hex(MD5(pem-file path as given)). */
    static Path fileOf(Path ocspDir, Path certPath) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(certPath.toString().getBytes(StandardCharsets.UTF_8));
            return ocspDir.resolve(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** The issuer of the leaf among the chain's other certificates (by name and signature). */
    static X509Certificate issuerOf(CertifiedKey certified) {
        X509Certificate leaf = certified.leaf();
        for (X509Certificate candidate : certified.chain().subList(1, certified.chain().size())) {
            if (candidate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                try {
                    leaf.verify(candidate.getPublicKey());
                    return candidate;
                } catch (GeneralSecurityException e) {
                    // same name, different key: keep looking
                }
            }
        }
        return null;
    }

    /** The first http OCSP URL of the certificate's Authority Information Access, or null. */
    static URI responderOf(X509Certificate leaf) {
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(
                    new JcaX509CertificateHolder(leaf).getExtensions());
            if (aia == null) {
                return null;
            }
            for (AccessDescription description : aia.getAccessDescriptions()) {
                GeneralName location = description.getAccessLocation();
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                        && location.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    URI uri = URI.create(location.getName().toString());
                    if ("http".equalsIgnoreCase(uri.getScheme())) {
                        return uri;
                    }
                }
            }
        } catch (CertificateEncodingException | IllegalArgumentException e) {
            LOG.warn("cannot read the OCSP responder of {}: {}", leaf.getSubjectX500Principal(), e.getMessage());
        }
        return null;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
    }
}
