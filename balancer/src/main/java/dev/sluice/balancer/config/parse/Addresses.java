package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.model.Endpoint;
import dev.sluice.balancer.config.model.Network;
import dev.sluice.balancer.config.model.ServerAddress;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy's address syntax for {@code bind}, {@code server} and networks. Only numeric addresses
 * are accepted: resolving names at load time would make a check depend on DNS.
 */
final class Addresses {

    private static final InetAddress IPV4_ANY = NetUtil.createInetAddressFromIpAddressString("0.0.0.0");
    private static final InetAddress IPV6_ANY = NetUtil.createInetAddressFromIpAddressString("::");
    private static final String[] REFUSED_PREFIXES = {"fd@", "sockpair@", "udp@", "udp4@", "udp6@", "quic4@",
        "quic6@", "uxst@", "uxdg@", "tcp@", "tcp4@", "tcp6@"};

    private Addresses() {
    }

    /** {@code ADDR:PORT[-END][,ADDR:PORT…]} of a bind line. */
    static List<Endpoint> bindList(String text) throws ConfigException {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            endpoints.add(bindEndpoint(part, text));
        }
        return endpoints;
    }

    private static Endpoint bindEndpoint(String part, String whole) throws ConfigException {
        if (part.startsWith("abns@")) {
            throw new ConfigException("'bind': abstract namespace sockets ('" + part
                    + "') are refused: they have no permissions; use unix@/path");
        }
        for (String prefix : REFUSED_PREFIXES) {
            if (part.startsWith(prefix)) {
                throw new ConfigException("'bind': address family '" + prefix + "' in '" + part
                        + "' is not supported yet (use IPv4, IPv6 or unix@/path)");
            }
        }
        if (part.startsWith("unix@") || part.startsWith("/")) {
            String path = part.startsWith("unix@") ? part.substring("unix@".length()) : part;
            if (path.isEmpty()) {
                throw new ConfigException("'bind': missing socket path in '" + part + "'");
            }
            return new Endpoint.Unix(Path.of(path));
        }
        String family = null;
        String rest = part;
        if (part.startsWith("ipv4@") || part.startsWith("ipv6@")) {
            family = part.substring(0, 4);
            rest = part.substring(5);
        }
        HostPort hostPort = split(rest, "bind", whole);
        if (hostPort.port == null || hostPort.port.isEmpty()) {
            throw new ConfigException("'bind': missing port number in '" + part + "'");
        }
        InetAddress address = hostPort.host.isEmpty() || hostPort.host.equals("*")
                ? ("ipv6".equals(family) ? IPV6_ANY : IPV4_ANY)
                : resolved(hostPort.host, "bind", whole);
        if ("ipv4".equals(family) && address.getAddress().length != 4
                || "ipv6".equals(family) && address.getAddress().length != 16) {
            throw new ConfigException("'bind': address '" + hostPort.host + "' does not match '" + family + "@'");
        }
        int dash = hostPort.port.indexOf('-');
        int low = port(dash < 0 ? hostPort.port : hostPort.port.substring(0, dash), "bind", whole);
        int high = dash < 0 ? low : port(hostPort.port.substring(dash + 1), "bind", whole);
        if (high < low) {
            throw new ConfigException("'bind': invalid port range '" + hostPort.port + "' in '" + whole + "'");
        }
        return new Endpoint.Inet(address, low, high);
    }

    /** {@code ADDR:PORT} of a server line. */
    static ServerAddress server(String text) throws ConfigException {
        if (text.startsWith("unix@") || text.startsWith("/") || text.contains("@")) {
            throw new ConfigException("'server': address '" + text + "' is not supported yet (use IPv4 or IPv6 ADDR:PORT)");
        }
        HostPort hostPort = anyHost(split(text, "server", text));
        if (hostPort.port == null) {
            throw new ConfigException("'server': a server without a port ('" + text + "') is not supported yet "
                    + "(HAProxy would reuse the client's destination port)");
        }
        if (hostPort.port.startsWith("+") || hostPort.port.startsWith("-")) {
            throw new ConfigException("'server': relative port '" + hostPort.port + "' is not supported yet");
        }
        return new ServerAddress(resolved(hostPort.host, "server", text), port(hostPort.port, "server", text));
    }

    /**
     * What a {@code server} or {@code server-template} line names, not resolved yet: a numeric address,
     * a host name, or an SRV label ({@code _service._proto.name}, whose port comes with the answer).
     *
     * @param numeric the address when it is written as one, else null
     * @param port    0 only for an SRV label without a port
     */
    record ServerTarget(String host, InetAddress numeric, int port) {
        boolean srv() {
            return host.startsWith("_");
        }
    }

    /** {@code ADDR:PORT}, {@code NAME:PORT} or {@code _service._proto.NAME[:PORT]}, checked but not resolved. */
    static ServerTarget serverTarget(String text) throws ConfigException {
        if (text.startsWith("unix@") || text.startsWith("/") || text.contains("@")) {
            throw new ConfigException("'server': address '" + text + "' is not supported yet (use IPv4 or IPv6 ADDR:PORT)");
        }
        HostPort hostPort = anyHost(split(text, "server", text));
        boolean srv = hostPort.host.startsWith("_") && srvLabel(hostPort.host);
        if (srv && (hostPort.port == null || hostPort.port.isEmpty())) {
            return new ServerTarget(hostPort.host, null, 0);
        }
        if (hostPort.port == null) {
            throw new ConfigException("'server': a server without a port ('" + text + "') is not supported yet "
                    + "(HAProxy would reuse the client's destination port)");
        }
        if (hostPort.port.startsWith("+") || hostPort.port.startsWith("-")) {
            throw new ConfigException("'server': relative port '" + hostPort.port + "' is not supported yet");
        }
        int port = port(hostPort.port, "server", text);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(hostPort.host);
        if (address == null && !srv && !hostName(hostPort.host)) {
            numeric(hostPort.host, "server", text); // throws the usual message
        }
        return new ServerTarget(hostPort.host, address, port);
    }

    private static boolean srvLabel(String host) {
        return host.length() > 1 && host.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-'
                || c == '_');
    }

    /** A host name through the system's resolver, now (HAProxy's {@code init-addr libc}); null if it fails. */
    static InetAddress libc(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** {@code ADDR[/LEN]} or {@code ADDR/MASK}. */
    static Network network(String text, String what) throws ConfigException {
        int slash = text.indexOf('/');
        InetAddress address = numeric(slash < 0 ? text : text.substring(0, slash), what, text);
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new Network(address, bits);
        }
        String length = text.substring(slash + 1);
        if (length.indexOf('.') >= 0 && bits == 32) {
            return new Network(address, maskLength(numeric(length, what, text), what, text));
        }
        if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(Character::isDigit)
                || Integer.parseInt(length) > bits) {
            throw new ConfigException("'" + what + "' expects <address>[/mask] (got '" + text + "')");
        }
        return new Network(address, Integer.parseInt(length));
    }

    /** {@code [ipv4@|ipv6@]ADDR:PORT} of a peer or a peers section's {@code bind}: numeric, one port. */
    static java.net.InetSocketAddress peer(String text, String what) throws ConfigException {
        String rest = text.startsWith("ipv4@") || text.startsWith("ipv6@") ? text.substring(5) : text;
        if (rest.contains("@") || rest.startsWith("/")) {
            throw new ConfigException("'" + what + "': address '" + text + "' is not supported (peers speak TCP over "
                    + "IPv4 or IPv6)");
        }
        HostPort hostPort = split(rest, what, text);
        if (hostPort.port() == null || hostPort.port().contains("-")) {
            throw new ConfigException("'" + what + "': missing or invalid port in '" + text + "' (expected: one port)");
        }
        return new java.net.InetSocketAddress(numeric(hostPort.host(), what, text), port(hostPort.port(), what, text));
    }

    private record HostPort(String host, String port) {
    }

    /**
     * HAProxy reads a server's empty host or {@code *} as the IPv4 wildcard 0.0.0.0, and Linux
     * connects a socket aimed at 0.0.0.0 to 127.0.0.1 (the loopback stands in for an unset
     * destination): {@code server s *:80} reaches this machine's port 80, so it is 127.0.0.1 here.
     */
    private static HostPort anyHost(HostPort hostPort) {
        return hostPort.port != null && (hostPort.host.isEmpty() || hostPort.host.equals("*"))
                ? new HostPort("127.0.0.1", hostPort.port) : hostPort;
    }

    /** Splits at the port: {@code [v6]:port}, or the last colon ({@code :::80} is {@code ::} and 80). */
    private static HostPort split(String text, String what, String whole) throws ConfigException {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new ConfigException("'" + what + "': unmatched '[' in '" + whole + "'");
            }
            String after = text.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new ConfigException("'" + what + "': invalid address '" + text + "' in '" + whole + "'");
            }
            return new HostPort(text.substring(1, close), after.isEmpty() ? null : after.substring(1));
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new HostPort(text, null);
        }
        return new HostPort(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * A numeric address, or a host name resolved once, now, through the system's resolver (as
     * HAProxy's default {@code init-addr libc} does): its first address. A name that does not
     * resolve stops the load, as it stops HAProxy.
     */
    private static InetAddress resolved(String host, String what, String whole) throws ConfigException {
        if (NetUtil.createInetAddressFromIpAddressString(host) == null && hostName(host)) {
            try {
                return InetAddress.getByName(host);
            } catch (java.net.UnknownHostException e) {
                throw new ConfigException("'" + what + "': could not resolve address '" + host + "'");
            }
        }
        return numeric(host, what, whole);
    }

    private static boolean hostName(String host) {
        return !host.isEmpty() && host.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-')
                && host.chars().anyMatch(Character::isLetter);
    }

    private static InetAddress numeric(String host, String what, String whole) throws ConfigException {
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        if (address != null) {
            return address;
        }
        if (hostName(host)) {
            throw new ConfigException("'" + what + "': a host name ('" + host + "') is not supported here "
                    + "(use a numeric address)");
        }
        throw new ConfigException("'" + what + "': invalid address '" + host + "' in '" + whole + "'");
    }

    private static int port(String text, String what, String whole) throws ConfigException {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException("'" + what + "': invalid port '" + text + "' in '" + whole + "'");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65_535) {
            throw new ConfigException("'" + what + "': invalid port '" + text + "' in '" + whole
                    + "' (expected: 1..65535)");
        }
        return port;
    }

    private static int maskLength(InetAddress mask, String what, String whole) throws ConfigException {
        int length = 0;
        boolean ended = false;
        for (byte b : mask.getAddress()) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean set = (b >> bit & 1) == 1;
                if (set && ended) {
                    throw new ConfigException("'" + what + "': mask in '" + whole + "' is not contiguous");
                }
                length += set ? 1 : 0;
                ended |= !set;
            }
        }
        return length;
    }
}
