package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.runtime.SourceAddress;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * {@code source ADDR[:PORT]} in defaults, backend and listen sections, and as a server option:
 * the local address of connections to servers (a server's own wins over its backend's). What
 * needs the kernel's transparent proxying ({@code usesrc}, {@code interface}) is refused.
 */
final class SourceKeywords {

    static final String TRANSPARENT = "sluice-balancer does not connect from the client's address (IP_TRANSPARENT "
            + "needs CAP_NET_ADMIN and policy routing); the client's address reaches servers in the PROXY header "
            + "or X-Forwarded-For";

    private SourceKeywords() {
    }

    /** The proxy keyword: {@code source ADDR[:PORT] [usesrc …] [interface NAME]}. */
    static void proxy(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (line.size() > 2) {
            String word = line.word(2);
            if (word.equals("usesrc")) {
                throw new ConfigException("'source': 'usesrc' is not supported yet (" + TRANSPARENT + ")");
            }
            if (word.equals("interface")) {
                throw new ConfigException("'source': 'interface' is not supported yet (not implemented)");
            }
            throw new ConfigException("'source' only supports optional 'usesrc' and 'interface' (got '" + word + "')");
        }
        draft.source = address(line.word(1), "source");
    }

    /** {@code ADDR}, {@code ADDR:PORT}, {@code [V6]:PORT}, {@code ipv4@}/{@code ipv6@} prefixes; no port range. */
    static SourceAddress address(String text, String what) throws ConfigException {
        String rest = text.startsWith("ipv4@") || text.startsWith("ipv6@") ? text.substring(5) : text;
        String host = rest;
        String port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new ConfigException("'" + what + "': unmatched '[' in '" + text + "'");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) {
                port = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new ConfigException("'" + what + "': invalid address '" + text + "'");
            }
        } else if (rest.indexOf(':') == rest.lastIndexOf(':') && rest.indexOf(':') >= 0) {
            host = rest.substring(0, rest.indexOf(':'));
            port = rest.substring(rest.indexOf(':') + 1);
        }
        if (host.isEmpty() || host.equals("*")) {
            host = "0.0.0.0";
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        if (address == null) {
            throw new ConfigException("'" + what + "': invalid address '" + text + "' (expected a numeric IPv4 or "
                    + "IPv6 address with an optional port)");
        }
        int number = 0;
        if (port != null && !port.isEmpty()) {
            if (port.contains("-")) {
                throw new ConfigException("'" + what + "': a port range ('" + port + "') is not supported yet "
                        + "(use one port, or none to let the kernel choose)");
            }
            number = Units.integer(port, "'" + what + "' port", 0, 65_535);
        }
        return new SourceAddress(new InetSocketAddress(address, number));
    }
}
