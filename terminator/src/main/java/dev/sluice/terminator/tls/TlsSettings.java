package dev.sluice.terminator.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one frontend's TLS needs, already validated by the command line / config parser.
 *
 * @param pems                 certificates; the first one is the default (served when SNI is absent
 *                             or matches nothing and {@code sniNoMatchAbort} is off)
 * @param protocols            "TLSv1.2" and/or "TLSv1.3"
 * @param ciphers              TLS 1.2 cipher list in OpenSSL syntax, or null for {@link CipherProfile#DEFAULT_TLS12}
 * @param ciphersuites         TLS 1.3 suites, or null for BoringSSL's defaults
 * @param curves               key-exchange groups (X25519, P-256, …); empty for X25519 and P-256
 * @param preferServerCiphers  the server's cipher order wins over the client's
 * @param alpnProtocols        ALPN protocols in the server's order of preference; empty for no ALPN
 * @param sniNoMatchAbort      abort the handshake when the client's SNI matches no certificate
 * @param ocspDir              where staples are read and stored (hitch's ocsp-dir), or null for no stapling
 * @param ocspConnectTimeout   connect timeout towards an OCSP responder
 * @param ocspResponseTimeout  time allowed for a responder's answer
 * @param ocspRefreshInterval  refresh period when a response carries no nextUpdate
 * @param ocspVerify           hitch's ocsp-verify-staple; accepted for compatibility, but a response's
 *                             signature is always checked against the issuer in the chain (a staple
 *                             that does not verify is never served), so off does not skip it
 * @param ticketKeyFile        session ticket keys (nginx 80-byte or 48-byte records), or null for
 *                             keys made up by this process
 * @param handshakeTimeout     the deadline of the TLS handshake
 */
public record TlsSettings(List<PemSource> pems, List<String> protocols, String ciphers, String ciphersuites,
        List<String> curves, boolean preferServerCiphers, List<String> alpnProtocols, boolean sniNoMatchAbort,
        Path ocspDir, Duration ocspConnectTimeout, Duration ocspResponseTimeout, Duration ocspRefreshInterval,
        boolean ocspVerify, Path ticketKeyFile, Duration handshakeTimeout) {

    private static final Set<String> KNOWN_PROTOCOLS = Set.of(CipherProfile.TLS12, CipherProfile.TLS13);

    public TlsSettings {
        pems = List.copyOf(Objects.requireNonNull(pems, "pems"));
        if (pems.isEmpty()) {
            throw new IllegalArgumentException("pems: empty (expected: at least one certificate)");
        }
        protocols = List.copyOf(Objects.requireNonNull(protocols, "protocols"));
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols: empty (expected: TLSv1.2 and/or TLSv1.3)");
        }
        for (String protocol : protocols) {
            if (!KNOWN_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("protocols: " + protocol + " (expected: TLSv1.2 or TLSv1.3)");
            }
        }
        curves = List.copyOf(Objects.requireNonNull(curves, "curves"));
        alpnProtocols = List.copyOf(Objects.requireNonNull(alpnProtocols, "alpnProtocols"));
        requirePositive(ocspConnectTimeout, "ocspConnectTimeout");
        requirePositive(ocspResponseTimeout, "ocspResponseTimeout");
        requirePositive(ocspRefreshInterval, "ocspRefreshInterval");
        requirePositive(handshakeTimeout, "handshakeTimeout");
    }

    /** Settings with hitch's defaults around the given certificates (tests and simple callers). */
    public static TlsSettings defaults(List<PemSource> pems) {
        return new TlsSettings(pems, List.of(CipherProfile.TLS12, CipherProfile.TLS13), null, null, List.of(),
                true, List.of(), false, null, Duration.ofSeconds(4), Duration.ofSeconds(10),
                Duration.ofSeconds(1800), false, null, Duration.ofSeconds(10));
    }

    public TlsSettings withAlpn(List<String> protocols) {
        return new TlsSettings(pems, this.protocols, ciphers, ciphersuites, curves, preferServerCiphers, protocols,
                sniNoMatchAbort, ocspDir, ocspConnectTimeout, ocspResponseTimeout, ocspRefreshInterval, ocspVerify,
                ticketKeyFile, handshakeTimeout);
    }

    public TlsSettings withSniNoMatchAbort(boolean abort) {
        return new TlsSettings(pems, protocols, ciphers, ciphersuites, curves, preferServerCiphers, alpnProtocols,
                abort, ocspDir, ocspConnectTimeout, ocspResponseTimeout, ocspRefreshInterval, ocspVerify,
                ticketKeyFile, handshakeTimeout);
    }

    public TlsSettings withTicketKeyFile(Path file) {
        return new TlsSettings(pems, protocols, ciphers, ciphersuites, curves, preferServerCiphers, alpnProtocols,
                sniNoMatchAbort, ocspDir, ocspConnectTimeout, ocspResponseTimeout, ocspRefreshInterval, ocspVerify,
                file, handshakeTimeout);
    }

    public TlsSettings withCiphers(List<String> protocols, String ciphers, String ciphersuites, List<String> curves,
            boolean preferServerCiphers) {
        return new TlsSettings(pems, protocols, ciphers, ciphersuites, curves, preferServerCiphers, alpnProtocols,
                sniNoMatchAbort, ocspDir, ocspConnectTimeout, ocspResponseTimeout, ocspRefreshInterval, ocspVerify,
                ticketKeyFile, handshakeTimeout);
    }

    public TlsSettings withOcsp(Path dir, boolean verify, Duration refreshInterval) {
        return new TlsSettings(pems, protocols, ciphers, ciphersuites, curves, preferServerCiphers, alpnProtocols,
                sniNoMatchAbort, dir, ocspConnectTimeout, ocspResponseTimeout, refreshInterval, verify,
                ticketKeyFile, handshakeTimeout);
    }

    public boolean tls13Enabled() {
        return protocols.contains(CipherProfile.TLS13);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + ": " + duration + " (expected: > 0)");
        }
    }
}
