package dev.sluice.terminator.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * hitch options we refuse, each with the reason and what to do instead: a hitch user who relies
 * on one must learn it at start, never find it silently ignored. Boolean ones are refused only
 * when switched on ({@code daemon = off} is harmless).
 */
public enum Unsupported {
    DAEMON("daemon", true, "sluice-terminator runs in the foreground only; let systemd (Type=notify)"
            + " or another supervisor manage it"),
    CHROOT("chroot", false, "chroot is not supported because the JVM loads classes and native libraries after"
            + " start; use systemd sandboxing (RootDirectory=, ProtectSystem=) instead"),
    SSL_ENGINE("ssl-engine", false, "OpenSSL engines do not exist in BoringSSL; remove the option"),
    CLIENT("client", true, "client mode (TLS towards the backend) is not supported; the terminator speaks"
            + " TLS to clients and plaintext to the backend"),
    SSL("ssl", true, "the deprecated 'ssl' switch is not supported; use tls-protos (e.g. TLSv1.2 TLSv1.3)"),
    TLS("tls", true, "the deprecated 'tls' switch is not supported; use tls-protos (e.g. TLSv1.2 TLSv1.3)"),
    BACKEND_REFRESH("backend-refresh", false, "the backend name is resolved once at start; restart to pick up"
            + " a new address (or give an IP address or a unix socket)"),
    TCP_FASTOPEN("tcp-fastopen", true, "TCP Fast Open is not supported; remove the option"),
    ENABLE_TCP_FASTOPEN("enable-tcp-fastopen", true, "TCP Fast Open is not supported; remove the option"),
    RING_SLOTS("ring-slots", false, "hitch's ring buffer does not exist here (buffers are bounded by"
            + " backpressure); remove the option"),
    RING_DATA_LEN("ring-data-len", false, "hitch's ring buffer does not exist here (buffers are bounded by"
            + " backpressure); remove the option"),
    SESSION_CACHE("session-cache", false, "the shared session cache is not supported; use ticket-key-file so"
            + " that every process and node resumes sessions"),
    SHARED_CACHE_LISTEN("shared-cache-listen", false, "the shared session cache is not supported; use"
            + " ticket-key-file"),
    SHARED_CACHE_PEER("shared-cache-peer", false, "the shared session cache is not supported; use ticket-key-file"),
    SHARED_CACHE_IF("shared-cache-if", false, "the shared session cache is not supported; use ticket-key-file"),
    CLIENT_VERIFY("client-verify", false, "client certificate verification is not supported; terminate mutual"
            + " TLS elsewhere"),
    CLIENT_VERIFY_CA("client-verify-ca", false, "client certificate verification is not supported"),
    PROXY_CLIENT_CERT("proxy-client-cert", true, "client certificates are not requested, so there is none to"
            + " forward; remove the option"),
    OCSP_RESP_FILE("ocsp-resp-file", false, "per-certificate staple files are not supported; put the staples"
            + " in ocsp-dir instead"),
    NPN("npn-protos", false, "NPN is obsolete and not offered; use alpn-protos");

    private final String configName;
    private final boolean booleanOption;
    private final String reason;

    Unsupported(String configName, boolean booleanOption, String reason) {
        this.configName = configName;
        this.booleanOption = booleanOption;
        this.reason = reason;
    }

    public String configName() {
        return configName;
    }

    /** True when the option is an on/off switch, refused only when on. */
    public boolean booleanOption() {
        return booleanOption;
    }

    /** The refusal: the code and a sentence saying why and what to use instead. */
    public String refusal() {
        return "'" + configName + "' is not supported: " + reason + " [" + name().toLowerCase(java.util.Locale.ROOT) + "]";
    }

    public static Optional<Unsupported> named(String name) {
        return Arrays.stream(values()).filter(u -> u.configName.equals(name)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Unsupported::configName).toList();
    }
}
