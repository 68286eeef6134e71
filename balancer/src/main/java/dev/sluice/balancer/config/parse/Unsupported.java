package dev.sluice.balancer.config.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * HAProxy 2.6 keywords we know but do not implement yet, with the reason shown to the user. A
 * config using one is refused with "not supported yet" instead of "unknown", so nobody believes a
 * setting took effect when it did not.
 */
final class Unsupported {

    private static final String TLS = "TLS is terminated by sluice-terminator in front of the balancer";
    private static final String SYSTEMD = "sluice-balancer runs under systemd, which supervises the process "
            + "itself (see deploy/)";
    private static final String LATER = "not implemented";
    private static final String NBPROC = "HAProxy 2.5 removed it: one process with 'nbthread' event loops";

    static final Map<String, String> SECTIONS = map(LATER,
            "mailers", "program", "ring",
            "log-forward", "fcgi-app", "dynamic-update");

    static final Map<String, String> GLOBAL = merge(
            map(LATER, "server-state-file", "server-state-base"),
            map(SYSTEMD, "master-worker"),
            map(NBPROC, "nbproc"),
            map(LATER, "lua-load",
                    "tune.idletimer", "busy-polling",
                    "h1-case-adjust", "expose-experimental-directives",
                    "insecure-fork-wanted", "noepoll", "nosplice", "tune.maxaccept",
                    "tune.http.logurilen", "maxpipes",
                    "set-dumpable", "pp2-never-send-local", "tune.bufsize.small"));

    static final Map<String, String> PROXY = merge(
            map(LATER, "filter"),
            map(LATER,
                    "external-check", "persist",
                    "dynamic-cookie-key", "max-keep-alive-queue",
                    "load-server-state-from-file", "server-state-file-name", "email-alert"),
            map(LATER, "bind-process"));

    static final Map<String, String> OPTION = merge(
            map(LATER, "spop-check", "external-check"),
            map(LATER, "httpslog"),
            map("the stats have frontend, backend and server rows but no per-listener rows",
                    "socket-stats"),
            map(LATER, "checkcache",
                    "http-use-proxy-header",
                    "accept-invalid-http-request", "accept-invalid-http-response", "h1-case-adjust-bogus-client",
                    "h1-case-adjust-bogus-server", "disable-h2-upgrade", "independent-streams",
                    "transparent"));

    static final Map<String, String> SERVER = merge(
            map("NPN is obsolete and BoringSSL's client does not offer it; use 'alpn'", "npn"),
            map(LATER, "crl-file", "allow-0rtt", "curves", "sigalgs", "client-sigalgs"),
            map("BoringSSL through netty-tcnative offers no switch for a client's session tickets",
                    "no-tls-tickets", "tls-tickets"),
            map(LATER,
                    "redir", "non-stick", "pool-low-conn",
                    "tfo", "namespace", "socks4",
                    "set-proxy-v2-tlv-fmt", "health-check-port", "weight-scale"),
            map("health checks speak TCP or HTTP/1.1 whatever the server's 'proto'", "check-proto"),
            map(SourceKeywords.TRANSPARENT, "usesrc"),
            map("WebSocket over HTTP/2 (RFC 8441 extended CONNECT) is not carried to servers: an upgrade to an h2 "
                    + "server is answered 502", "ws"));

    static final Map<String, String> BIND = merge(
            map(TLS, "crt", "crt-list", "ca-file", "ca-ignore-err", "ca-sign-file", "crl-file",
                    "verify", "ciphers", "ciphersuites", "curves", "ecdhe", "strict-sni", "tls-ticket-keys",
                    "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13", "no-tls-tickets",
                    "ssl-min-ver", "ssl-max-ver", "force-tlsv12", "force-tlsv13", "prefer-client-ciphers",
                    "allow-0rtt", "generate-certificates", "sigalgs", "client-sigalgs"),
            map("sluice-balancer's IPv6 listeners always accept IPv4 clients as well, as with 'v4v6'", "v6only"),
            map(LATER, "interface", "namespace", "level", "severity-output", "process", "thread", "mss", "nice",
                    "id", "expose-fd", "quic-cc-algo", "accept-netscaler-cip"));

    private Unsupported() {
    }

    private static Map<String, String> map(String reason, String... keywords) {
        Map<String, String> result = new HashMap<>();
        for (String keyword : keywords) {
            result.put(keyword, reason);
        }
        return result;
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... parts) {
        Map<String, String> result = new HashMap<>();
        for (Map<String, String> part : parts) {
            result.putAll(part);
        }
        return Map.copyOf(result);
    }
}
