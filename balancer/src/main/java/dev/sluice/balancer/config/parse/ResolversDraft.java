package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.runtime.ResolversPlan;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One {@code resolvers NAME} section while its lines are read (HAProxy 2.6, configuration.txt 5.3.2). */
final class ResolversDraft {

    /** The DNS port a {@code nameserver} without one is asked on. */
    static final int DNS_PORT = 53;
    /** Where {@code parse-resolv-conf} reads the system's name servers. */
    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final List<String> DATAGRAM_PREFIXES = List.of("udp@", "udp4@", "udp6@", "ipv4@", "ipv6@");

    final SourceLocation location;
    final String name;
    private final Map<String, InetSocketAddress> nameservers = new LinkedHashMap<>();
    private int acceptedPayloadSize = ResolversPlan.MIN_PAYLOAD_SIZE;
    private int resolveRetries = ResolversPlan.DEFAULT_RETRIES;
    private Duration timeoutResolve = ResolversPlan.DEFAULT_TIMEOUT;
    private Duration timeoutRetry = ResolversPlan.DEFAULT_TIMEOUT;
    private final Map<String, Duration> hold = new LinkedHashMap<>();
    private final Path resolvConf;

    ResolversDraft(SourceLocation location, String name) {
        this(location, name, RESOLV_CONF);
    }

    ResolversDraft(SourceLocation location, String name, Path resolvConf) {
        this.location = location;
        this.name = name;
        this.resolvConf = resolvConf;
        ResolversPlan.Hold defaults = ResolversPlan.Hold.DEFAULTS;
        hold.put("nx", defaults.nx());
        hold.put("other", defaults.other());
        hold.put("refused", defaults.refused());
        hold.put("timeout", defaults.timeout());
        hold.put("valid", defaults.valid());
        hold.put("obsolete", defaults.obsolete());
    }

    void apply(Line line, Diagnostics diagnostics) throws ConfigException {
        switch (line.keyword()) {
            case "nameserver" -> {
                arity(line, 2);
                nameserver(line.word(1), line.word(2));
            }
            case "parse-resolv-conf" -> {
                arity(line, 0);
                parseResolvConf(line, diagnostics);
            }
            case "accepted_payload_size" -> {
                arity(line, 1);
                acceptedPayloadSize = Units.integer(line.word(1), "'accepted_payload_size'",
                        ResolversPlan.MIN_PAYLOAD_SIZE, ResolversPlan.MAX_PAYLOAD_SIZE);
            }
            case "resolve_retries" -> {
                arity(line, 1);
                resolveRetries = Units.integer(line.word(1), "'resolve_retries'", 1, Integer.MAX_VALUE);
            }
            case "timeout" -> {
                arity(line, 2);
                Duration value = positive(line.word(2), "'timeout " + line.word(1) + "'");
                switch (line.word(1)) {
                    case "resolve" -> timeoutResolve = value;
                    case "retry" -> timeoutRetry = value;
                    default -> throw new ConfigException("'timeout' expects 'resolve' or 'retry' in resolvers "
                            + "section '" + name + "' (got '" + line.word(1) + "')");
                }
            }
            case "hold" -> {
                arity(line, 2);
                if (!hold.containsKey(line.word(1))) {
                    throw new ConfigException("'hold' expects one of " + String.join(", ", hold.keySet())
                            + " (got '" + line.word(1) + "')");
                }
                hold.put(line.word(1), Units.time(line.word(2)));
            }
            default -> {
                String close = Suggestions.closest(line.keyword(), List.of("nameserver", "parse-resolv-conf",
                        "accepted_payload_size", "resolve_retries", "timeout", "hold"));
                throw new ConfigException("unknown keyword '" + line.keyword() + "' in 'resolvers' section '" + name
                        + "'" + (close == null ? "" : "; did you mean '" + close + "'?"));
            }
        }
    }

    private static void arity(Line line, int expected) throws ConfigException {
        if (line.size() - 1 != expected) {
            throw new ConfigException("'" + line.keyword() + "' expects " + expected + " argument(s) (got "
                    + (line.size() - 1) + ")");
        }
    }

    private static Duration positive(String text, String what) throws ConfigException {
        Duration value = Units.time(text);
        if (value.isZero()) {
            throw new ConfigException(what + " must be greater than zero (got '" + text + "')");
        }
        return value;
    }

    private void nameserver(String id, String text) throws ConfigException {
        Names.check(id, "'nameserver' name");
        if (nameservers.containsKey(id)) {
            throw new ConfigException("nameserver '" + id + "' is already declared in resolvers section '" + name + "'");
        }
        nameservers.put(id, datagramAddress(text));
    }

    /** {@code [udp@]ADDR[:PORT]}: stream name servers ({@code tcp@}) are refused, as we only speak UDP. */
    static InetSocketAddress datagramAddress(String text) throws ConfigException {
        String rest = text;
        for (String prefix : DATAGRAM_PREFIXES) {
            if (rest.startsWith(prefix)) {
                rest = rest.substring(prefix.length());
                break;
            }
        }
        if (rest.contains("@")) {
            throw new ConfigException("'nameserver': address '" + text + "' is not supported yet (name servers are "
                    + "asked over UDP only; TCP name servers are not implemented)");
        }
        String host = rest;
        int port = DNS_PORT;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new ConfigException("'nameserver': unmatched '[' in '" + text + "'");
            }
            host = rest.substring(1, close);
            if (close + 1 < rest.length()) {
                port = port(rest.substring(close + 1), text);
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            host = rest.substring(0, rest.indexOf(':'));
            port = Units.integer(rest.substring(rest.indexOf(':') + 1), "'nameserver' port", 1, 65_535);
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        if (address == null) {
            throw new ConfigException("'nameserver': invalid address '" + text + "' (expected: a numeric IPv4 or "
                    + "IPv6 address and an optional port)");
        }
        return new InetSocketAddress(address, port);
    }

    private static int port(String text, String whole) throws ConfigException {
        if (!text.startsWith(":")) {
            throw new ConfigException("'nameserver': invalid address '" + whole + "'");
        }
        return Units.integer(text.substring(1), "'nameserver' port", 1, 65_535);
    }

    /** Adds each {@code nameserver} line of the system's resolv.conf, named after its position. */
    private void parseResolvConf(Line line, Diagnostics diagnostics) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(resolvConf);
        } catch (IOException e) {
            throw new ConfigException("'parse-resolv-conf': could not read " + resolvConf + ": " + e.getMessage());
        }
        int number = 0;
        for (String text : lines) {
            number++;
            String[] words = text.trim().split("\\s+");
            if (words.length < 2 || !words[0].equals("nameserver")) {
                continue;
            }
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(words[1]);
            if (address == null) {
                diagnostics.warning(line.location(), "'parse-resolv-conf': " + resolvConf + ":" + number
                        + ": ignoring invalid name server address '" + words[1] + "'");
                continue;
            }
            nameservers.putIfAbsent("resolv.conf." + number, new InetSocketAddress(address, DNS_PORT));
        }
    }

    ResolversPlan build() {
        return new ResolversPlan(name, new ArrayList<>(nameservers.values()), acceptedPayloadSize, resolveRetries,
                timeoutResolve, timeoutRetry, new ResolversPlan.Hold(hold.get("nx"), hold.get("other"),
                hold.get("refused"), hold.get("timeout"), hold.get("valid"), hold.get("obsolete")));
    }
}
