package dev.sluice.terminator.cli;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every key the terminator knows, in hitch.conf and as {@code --key} on the command line, with
 * where it may appear and what kind of value it takes. Keys hitch has but we do not support are
 * in {@link Unsupported}; anything else is unknown and fatal.
 */
public enum Key {
    // where                   shape
    FRONTEND("frontend", Scope.GLOBAL, Shape.REPEATED_OR_BLOCK, "[HOST]:PORT[+CERT]",
             "Listen endpoint (repeatable; default [*]:8443; brackets mandatory, * for every address)."),
    BACKEND("backend", Scope.GLOBAL, Shape.SCALAR, "[HOST]:PORT|PATH",
            "Backend endpoint, or a unix socket path (default [127.0.0.1]:8000)."),
    PEM_FILE("pem-file", Scope.ANYWHERE, Shape.REPEATED_OR_BLOCK, "FILE",
             "Key and certificate chain (repeatable; as in hitch, the last is the default certificate)."),
    PEM_DIR("pem-dir", Scope.GLOBAL, Shape.SCALAR, "DIR", "Load every file in DIR as a pem-file, in name order."),
    PEM_DIR_GLOB("pem-dir-glob", Scope.GLOBAL, Shape.SCALAR, "GLOB", "Only files in pem-dir matching GLOB."),
    HOST("host", Scope.FRONTEND, Shape.SCALAR, "HOST", "Frontend block: address to listen on (* for all)."),
    PORT("port", Scope.FRONTEND, Shape.SCALAR, "PORT", "Frontend block: port to listen on."),
    MATCH_GLOBAL_CERTS("match-global-certs", Scope.FRONTEND, Shape.BOOLEAN, "on|off",
                       "Frontend block: also offer the global pem-files."),
    CERT("cert", Scope.PEM, Shape.SCALAR, "FILE", "pem-file block: certificate chain (and key, if no private-key)."),
    PRIVATE_KEY("private-key", Scope.PEM, Shape.SCALAR, "FILE", "pem-file block: private key file."),

    TLS_PROTOS("tls-protos", Scope.ANYWHERE, Shape.SCALAR, "LIST", "TLS versions: TLSv1.2 TLSv1.3 (default both)."),
    CIPHERS("ciphers", Scope.ANYWHERE, Shape.SCALAR, "SUITE", "TLS 1.2 ciphers, OpenSSL syntax (default: a modern list)."),
    CIPHERSUITES("ciphersuites", Scope.ANYWHERE, Shape.SCALAR, "SUITES", "TLS 1.3 cipher suites, colon-separated."),
    ECDH_CURVE("ecdh-curve", Scope.GLOBAL, Shape.SCALAR, "LIST", "Key exchange groups, e.g. X25519:prime256v1 (auto: default)."),
    PREFER_SERVER_CIPHERS("prefer-server-ciphers", Scope.ANYWHERE, Shape.BOOLEAN, "on|off", "Prefer our cipher order."),
    ALPN_PROTOS("alpn-protos", Scope.GLOBAL, Shape.SCALAR, "LIST", "ALPN protocols, comma-separated, e.g. h2,http/1.1."),
    SNI_NOMATCH_ABORT("sni-nomatch-abort", Scope.ANYWHERE, Shape.BOOLEAN, "on|off",
                      "Abort the handshake when the client asks for a name we have no certificate for."),
    OCSP_DIR("ocsp-dir", Scope.GLOBAL, Shape.SCALAR, "DIR", "OCSP staple cache directory (empty: no stapling)."),
    OCSP_CONNECT_TMO("ocsp-connect-tmo", Scope.GLOBAL, Shape.SCALAR, "SECS", "OCSP responder connect timeout (default 4)."),
    OCSP_RESP_TMO("ocsp-resp-tmo", Scope.GLOBAL, Shape.SCALAR, "SECS", "OCSP responder response timeout (default 10)."),
    OCSP_REFRESH_INTERVAL("ocsp-refresh-interval", Scope.GLOBAL, Shape.SCALAR, "SECS",
                          "OCSP refresh interval when the response gives none (default 1800)."),
    OCSP_VERIFY_STAPLE("ocsp-verify-staple", Scope.GLOBAL, Shape.BOOLEAN, "on|off", "Verify OCSP responses."),
    TICKET_KEY_FILE("ticket-key-file", Scope.GLOBAL, Shape.SCALAR, "FILE",
                    "Session ticket keys (80-byte nginx format) shared by every process and node."),
    SSL_HANDSHAKE_TIMEOUT("ssl-handshake-timeout", Scope.GLOBAL, Shape.SCALAR, "SECS", "TLS handshake deadline (default 30)."),

    WRITE_IP("write-ip", Scope.GLOBAL, Shape.BOOLEAN, "on|off",
             "Write the client address as 1 family octet + 4 or 16 address octets before the data."),
    WRITE_PROXY("write-proxy", Scope.GLOBAL, Shape.BOOLEAN, "on|off", "Same as write-proxy-v2."),
    WRITE_PROXY_V1("write-proxy-v1", Scope.GLOBAL, Shape.BOOLEAN, "on|off", "Write a PROXY v1 line before the data."),
    WRITE_PROXY_V2("write-proxy-v2", Scope.GLOBAL, Shape.BOOLEAN, "on|off", "Write a PROXY v2 header before the data."),
    PROXY_PROXY("proxy-proxy", Scope.GLOBAL, Shape.BOOLEAN, "on|off", "Pass the client's own PROXY header through."),
    PROXY_TLV("proxy-tlv", Scope.GLOBAL, Shape.BOOLEAN, "on|off", "PROXY v2: send the SSL TLV (version, cipher; default on)."),
    PROXY_AUTHORITY("proxy-authority", Scope.GLOBAL, Shape.BOOLEAN, "on|off",
                    "PROXY v2: send the SNI name as the AUTHORITY TLV (default on)."),

    WORKERS("workers", Scope.GLOBAL, Shape.SCALAR, "NUM", "Worker processes (default 1)."),
    BACKLOG("backlog", Scope.GLOBAL, Shape.SCALAR, "NUM", "Listen backlog (default 100)."),
    KEEPALIVE("keepalive", Scope.GLOBAL, Shape.SCALAR, "SECS", "TCP keepalive idle time on client sockets (default 3600)."),
    BACKEND_CONNECT_TIMEOUT("backend-connect-timeout", Scope.GLOBAL, Shape.SCALAR, "SECS",
                            "Backend connect deadline (default 30)."),
    IDLE_TIMEOUT("idle-timeout", Scope.GLOBAL, Shape.SCALAR, "SECS",
                 "Close a connection after SECS without a byte either way (default 0: never)."),
    DRAIN_TIMEOUT("drain-timeout", Scope.GLOBAL, Shape.SCALAR, "SECS",
                  "On SIGTERM, how long open connections may finish (default 30)."),
    RECV_BUFSIZE("recv-bufsize", Scope.GLOBAL, Shape.SCALAR, "SIZE", "SO_RCVBUF of client sockets (default -1: kernel's)."),
    SEND_BUFSIZE("send-bufsize", Scope.GLOBAL, Shape.SCALAR, "SIZE", "SO_SNDBUF of client sockets (default -1: kernel's)."),
    METRICS("metrics", Scope.GLOBAL, Shape.SCALAR, "[HOST]:PORT", "Serve Prometheus text metrics on HOST:PORT."),

    USER("user", Scope.GLOBAL, Shape.SCALAR, "USER", "Switch to USER (and its group) after binding."),
    GROUP("group", Scope.GLOBAL, Shape.SCALAR, "GROUP", "Switch to GROUP after binding."),
    PIDFILE("pidfile", Scope.GLOBAL, Shape.SCALAR, "FILE", "Write the process ID to FILE."),
    QUIET("quiet", Scope.GLOBAL, Shape.BOOLEAN, "on|off", "Errors only (same as log-level 1)."),
    LOG_LEVEL("log-level", Scope.GLOBAL, Shape.SCALAR, "NUM", "0 silent, 1 errors, 2 info (default 1)."),
    LOG_FILENAME("log-filename", Scope.GLOBAL, Shape.SCALAR, "FILE", "Log to FILE instead of stderr."),
    SYSLOG("syslog", Scope.GLOBAL, Shape.BOOLEAN, "on|off", "Log to syslog (only 'off' is supported)."),
    SYSLOG_FACILITY("syslog-facility", Scope.GLOBAL, Shape.SCALAR, "FACILITY", "Syslog facility (accepted; see syslog).");

    private static final Map<String, Key> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Key::configName, Function.identity()));

    private final String configName;
    private final Scope scope;
    private final Shape shape;
    private final String label;
    private final String description;

    Key(String configName, Scope scope, Shape shape, String label, String description) {
        this.configName = configName;
        this.scope = scope;
        this.shape = shape;
        this.label = label;
        this.description = description;
    }

    public String configName() {
        return configName;
    }

    public String flag() {
        return "--" + configName;
    }

    public Scope scope() {
        return scope;
    }

    public Shape shape() {
        return shape;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    public static Optional<Key> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The known key (or unsupported hitch key) closest to a mistyped one, for "did you mean". */
    public static Optional<String> closest(String typo) {
        String lower = typo.toLowerCase(Locale.ROOT);
        return java.util.stream.Stream.concat(BY_NAME.keySet().stream(), Unsupported.names().stream())
                .map(name -> Map.entry(name, distance(lower, name)))
                .filter(entry -> entry.getValue() <= Math.max(2, typo.length() / 3))
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .map(Map.Entry::getKey);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Where a key may appear. */
    public enum Scope {
        /** The top level of hitch.conf and the command line. */
        GLOBAL,
        /** Only inside {@code frontend = { … }}. */
        FRONTEND,
        /** The top level and frontend blocks. */
        ANYWHERE,
        /** Only inside {@code pem-file = { … }}. */
        PEM
    }

    /** What kind of value a key takes. */
    public enum Shape {
        SCALAR,
        /** on/off (hitch also takes yes/no, y/n, true/false, t/f, 1/0); a bare flag means on. */
        BOOLEAN,
        /** May be given many times; in a file also as a block. */
        REPEATED_OR_BLOCK
    }
}
