package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.runtime.HttpReuse;
import dev.sluice.balancer.runtime.ProxyLine;
import dev.sluice.balancer.runtime.ServerConnections;
import dev.sluice.balancer.runtime.ServerProtocol;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server keywords about the server's connections ({@code send-proxy}, {@code send-proxy-v2},
 * {@code proxy-v2-options}, {@code check-send-proxy}, {@code pool-max-conn}, {@code pool-purge-delay},
 * {@code max-reuse}, {@code proto}) and the proxy keyword {@code http-reuse}, with HAProxy 2.6's meanings.
 */
final class ConnectionKeywords {

    @FunctionalInterface
    interface Setter {
        void set(Draft draft, String value) throws ConfigException;
    }

    /** Options of {@code proxy-v2-options} that need what the terminator never sends. */
    private static final Map<String, String> REFUSED_V2_OPTIONS = Map.of(
            "cert-sig", "the terminator does not ask for client certificates, so there is no certificate "
                    + "signature algorithm to send",
            "cert-key", "the terminator does not ask for client certificates, so there is no certificate "
                    + "key algorithm to send",
            "unique-id", "'unique-id-format' is not supported yet");

    static final Map<String, Consumer<Draft>> FLAGS = new LinkedHashMap<>();
    static final Map<String, Setter> VALUES = new LinkedHashMap<>();

    static {
        // HAProxy keeps v1 and v2 as two flags; v2 wins when both are set.
        FLAGS.put("send-proxy", d -> d.v1 = true);
        FLAGS.put("no-send-proxy", d -> d.v1 = false);
        FLAGS.put("send-proxy-v2", d -> d.v2 = true);
        FLAGS.put("no-send-proxy-v2", d -> d.v2 = false);
        FLAGS.put("send-proxy-v2-ssl", d -> {
            d.v2 = true;
            d.ssl = true;
        });
        FLAGS.put("send-proxy-v2-ssl-cn", d -> {
            d.v2 = true;
            d.ssl = true;
            d.certCn = true;
        });
        FLAGS.put("check-send-proxy", d -> d.checkSendProxy = true);
        VALUES.put("proxy-v2-options", ConnectionKeywords::proxyV2Options);
        VALUES.put("pool-max-conn", (d, v) -> d.poolMaxConn = countOrUnlimited(v, "pool-max-conn"));
        VALUES.put("pool-purge-delay", (d, v) -> d.poolPurgeDelay = Units.time(v));
        VALUES.put("max-reuse", (d, v) -> d.maxReuse = countOrUnlimited(v, "max-reuse"));
        VALUES.put("proto", (d, v) -> d.protocol = protocol(v));
    }

    private ConnectionKeywords() {
    }

    /** {@code proxy-v2-options OPT[,OPT]*}: adds to what {@code send-proxy-v2} writes (it does not enable it). */
    private static void proxyV2Options(Draft draft, String list) throws ConfigException {
        for (String option : list.split(",", -1)) {
            switch (option) {
                case "ssl" -> draft.ssl = true;
                case "cert-cn" -> {
                    draft.ssl = true;
                    draft.certCn = true;
                }
                case "ssl-cipher" -> {
                    draft.ssl = true;
                    draft.sslCipher = true;
                }
                case "authority" -> draft.authority = true;
                case "crc32c" -> draft.crc32c = true;
                default -> {
                    String reason = REFUSED_V2_OPTIONS.get(option);
                    if (reason != null) {
                        throw new ConfigException("'proxy-v2-options': '" + option + "' is not supported (" + reason + ")");
                    }
                    throw new ConfigException("'proxy-v2-options': unknown option '" + option + "' (expected: ssl, "
                            + "cert-cn, ssl-cipher, authority or crc32c)");
                }
            }
        }
    }

    /** Server muxes of HAProxy 2.6 that are refused, with why. */
    private static final Map<String, String> REFUSED_PROTOCOLS = Map.of(
            "fcgi", "FastCGI servers are not supported",
            "none", "'proto none' is a mode tcp mux; an HTTP backend's servers speak h1 or h2");

    /** {@code proto h1|h2}: the protocol of the server's connections. */
    private static ServerProtocol protocol(String word) throws ConfigException {
        ServerProtocol protocol = ServerProtocol.of(word);
        if (protocol != null) {
            return protocol;
        }
        String reason = REFUSED_PROTOCOLS.get(word);
        if (reason != null) {
            throw new ConfigException("'proto': '" + word + "' is not supported (" + reason + ")");
        }
        throw new ConfigException("'proto' expects 'h1' or 'h2' (got '" + word + "')");
    }

    /** A count, or -1 for unlimited (HAProxy's spelling). */
    private static int countOrUnlimited(String value, String name) throws ConfigException {
        if (value.equals("-1")) {
            return ServerConnections.UNLIMITED;
        }
        try {
            return Units.integer(value, "'" + name + "'", 0, Integer.MAX_VALUE);
        } catch (ConfigException e) {
            throw new ConfigException("'" + name + "' expects -1 (unlimited) or a count from 0 (got '" + value + "')");
        }
    }

    /** {@code http-reuse never|safe|aggressive|always}. */
    static HttpReuse httpReuse(String word) throws ConfigException {
        HttpReuse mode = HttpReuse.of(word);
        if (mode == null) {
            throw new ConfigException("'http-reuse' expects 'never', 'safe', 'aggressive' or 'always' (got '" + word + "')");
        }
        return mode;
    }

    /** The connection settings while a {@code server} or {@code default-server} line is read. */
    static final class Draft {
        boolean v1;
        boolean v2;
        boolean ssl;
        boolean certCn;
        boolean sslCipher;
        boolean authority;
        boolean crc32c;
        boolean checkSendProxy;
        int poolMaxConn;
        Duration poolPurgeDelay;
        int maxReuse;
        ServerProtocol protocol;

        Draft(ServerConnections from) {
            ProxyLine line = from.proxyLine();
            v1 = line.version() == 1;
            v2 = line.version() == 2;
            ssl = line.ssl();
            certCn = line.certCn();
            sslCipher = line.sslCipher();
            authority = line.authority();
            crc32c = line.crc32c();
            checkSendProxy = from.checkSendProxy();
            poolMaxConn = from.poolMaxConn();
            poolPurgeDelay = from.poolPurgeDelay();
            maxReuse = from.maxReuse();
            protocol = from.protocol();
        }

        ServerConnections build() throws ConfigException {
            int version = v2 ? 2 : v1 ? 1 : 0;
            if (version != 0 && protocol == ServerProtocol.H2) {
                // HAProxy keeps such connections private to one client; ours are shared by every client's
                // streams, and a PROXY header speaks for a single client.
                throw new ConfigException("'proto h2' cannot be combined with 'send-proxy' or 'send-proxy-v2' (an "
                        + "HTTP/2 server connection carries the streams of many clients, a PROXY header names one)");
            }
            return new ServerConnections(new ProxyLine(version, ssl, certCn, sslCipher, authority, crc32c),
                    checkSendProxy, poolMaxConn, poolPurgeDelay, maxReuse, protocol);
        }
    }
}
