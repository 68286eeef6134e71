package dev.sluice.balancer.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS to one server ({@code ssl} and its family on a {@code server} line), with the {@code global}
 * defaults ({@code ssl-server-verify}, {@code ssl-default-server-*}, {@code ca-base}, {@code crt-base})
 * already applied, as HAProxy 2.6 applies them.
 *
 * @param enabled      {@code ssl}: the server's connections speak TLS
 * @param verify       {@code verify required}: the server's chain must lead to {@code caFile}
 * @param caFile       {@code ca-file}: the trusted authorities (PEM), empty when not given
 * @param crt          {@code crt}: our client certificate and key (one PEM), empty for none
 * @param sni          {@code sni EXPR}: a sample expression whose value is sent as SNI, empty for none
 * @param verifyHost   {@code verifyhost}: the name the certificate must carry when no SNI is sent
 * @param alpn         {@code alpn}: protocols offered, in order; empty for no ALPN
 * @param ciphers      {@code ciphers}: an OpenSSL cipher string for TLS 1.2 and below, empty for the default
 * @param ciphersuites {@code ciphersuites}: TLS 1.3 suites, empty for the default
 * @param minVersion   the lowest protocol version allowed
 * @param maxVersion   the highest protocol version allowed
 * @param reuse        false with {@code no-ssl-reuse}: every connection makes a full handshake
 * @param check        TLS of the health checks ({@code check-ssl}, {@code check-sni}, {@code check-alpn})
 */
public record ServerTls(boolean enabled, boolean verify, Optional<Path> caFile, Optional<Path> crt,
                        Optional<String> sni, Optional<String> verifyHost, List<String> alpn,
                        Optional<String> ciphers, Optional<String> ciphersuites, TlsVersion minVersion,
                        TlsVersion maxVersion, boolean reuse, Check check) {

    /**
     * A server reached in clear, with HAProxy 2.6's defaults should it speak TLS: {@code verify required},
     * TLS 1.2 to 1.3, sessions reused.
     */
    public static final ServerTls NONE = new ServerTls(false, true, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), TlsVersion.TLS1_2,
            TlsVersion.TLS1_3, true, Check.NONE);

    public ServerTls {
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(crt, "crt");
        Objects.requireNonNull(sni, "sni");
        Objects.requireNonNull(verifyHost, "verifyHost");
        alpn = List.copyOf(alpn);
        Objects.requireNonNull(ciphers, "ciphers");
        Objects.requireNonNull(ciphersuites, "ciphersuites");
        Objects.requireNonNull(minVersion, "minVersion");
        Objects.requireNonNull(maxVersion, "maxVersion");
        if (minVersion.compareTo(maxVersion) > 0) {
            throw new IllegalArgumentException("ssl-min-ver " + minVersion.keyword() + " above ssl-max-ver "
                    + maxVersion.keyword());
        }
        Objects.requireNonNull(check, "check");
    }

    /** Whether this server's connections or its health checks speak TLS: then an SSL context is built. */
    public boolean used() {
        return enabled || check.enabled();
    }

    /** With {@code alpn h2} alone the connection can only be HTTP/2, as HAProxy then picks its h2 mux. */
    public boolean onlyH2() {
        return enabled && alpn.equals(List.of("h2"));
    }

    /**
     * The TLS of the health checks: {@code check-ssl} (implied by {@code ssl} for a check on the server's
     * own port), {@code check-sni NAME} and {@code check-alpn LIST}.
     *
     * @param enabled the checks of this server speak TLS
     * @param written {@code check-ssl} (true) or {@code no-check-ssl} (false) as written, which a server
     *                inherits from {@code default-server}; empty when neither was
     */
    public record Check(boolean enabled, Optional<Boolean> written, Optional<String> sni, List<String> alpn) {
        public static final Check NONE = new Check(false, Optional.empty(), Optional.empty(), List.of());

        public Check {
            Objects.requireNonNull(written, "written");
            Objects.requireNonNull(sni, "sni");
            alpn = List.copyOf(alpn);
        }
    }

    /** The protocol versions HAProxy names in {@code ssl-min-ver}/{@code ssl-max-ver}. */
    public enum TlsVersion {
        SSL3("SSLv3", "SSLv3"),
        TLS1_0("TLSv1.0", "TLSv1"),
        TLS1_1("TLSv1.1", "TLSv1.1"),
        TLS1_2("TLSv1.2", "TLSv1.2"),
        TLS1_3("TLSv1.3", "TLSv1.3");

        private final String keyword;
        private final String protocol;

        TlsVersion(String keyword, String protocol) {
            this.keyword = keyword;
            this.protocol = protocol;
        }

        /** HAProxy's spelling ({@code TLSv1.2}). */
        public String keyword() {
            return keyword;
        }

        /** The JSSE protocol name that Netty understands ({@code TLSv1.2}). */
        public String protocol() {
            return protocol;
        }

        /** The version HAProxy spells {@code word}, or null. */
        public static TlsVersion of(String word) {
            for (TlsVersion version : values()) {
                if (version.keyword.equals(word)) {
                    return version;
                }
            }
            return null;
        }
    }
}
