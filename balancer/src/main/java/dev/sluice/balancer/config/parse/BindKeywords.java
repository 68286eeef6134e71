package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.model.Bind;
import dev.sluice.balancer.config.model.Endpoint;
import dev.sluice.balancer.runtime.BindSocket;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code bind ADDR[,ADDR…] [accept-proxy] [maxconn N] [name NAME] [proto NAME]}. */
final class BindKeywords {

    private static final Set<String> KNOWN = Set.of("accept-proxy", "maxconn", "name", "proto", "ssl", "backlog",
            "defer-accept", "tfo", "transparent", "tcp-ut", "v4v6", "mode", "user", "uid", "group", "gid");

    /** The muxes HAProxy 2.6 knows for {@code proto}; the engine speaks the first two. */
    private static final Set<String> PROTOS = Set.of("h1", "h2", "fcgi", "none", "quic");
    private static final Set<String> SPOKEN = Set.of("h1", "h2");

    private BindKeywords() {
    }

    static Bind parse(SourceLocation location, List<String> args) throws ConfigException {
        return parse(location, args, new dev.sluice.balancer.config.Diagnostics());
    }

    static Bind parse(SourceLocation location, List<String> args, dev.sluice.balancer.config.Diagnostics diagnostics)
            throws ConfigException {
        List<Endpoint> endpoints = Addresses.bindList(args.get(0));
        boolean acceptProxy = false;
        int maxconn = 0;
        Optional<String> name = Optional.empty();
        Optional<String> proto = Optional.empty();
        int backlog = 0;
        boolean deferAccept = false;
        boolean fastOpen = false;
        boolean transparent = false;
        int userTimeout = 0;
        int unixMode = -1;
        String unixUser = null;
        String unixGroup = null;
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "accept-proxy" -> acceptProxy = true;
                case "maxconn" -> maxconn = Units.integer(value(args, ++i, option), "'bind' 'maxconn'", 1,
                        Integer.MAX_VALUE);
                case "name" -> name = Optional.of(value(args, ++i, option));
                case "proto" -> {
                    String mux = value(args, ++i, option);
                    if (!PROTOS.contains(mux)) {
                        throw new ConfigException("'bind " + args.get(0) + "': unknown 'proto' '" + mux
                                + "' (expected: h1 or h2)");
                    }
                    if (!SPOKEN.contains(mux)) {
                        throw new ConfigException("'bind " + args.get(0) + "': 'proto " + mux
                                + "' is not supported yet (expected: h1 or h2)");
                    }
                    proto = Optional.of(mux);
                }
                // 0, as in HAProxy, keeps the default queue.
                case "backlog" -> backlog = Units.integer(value(args, ++i, option), "'bind' 'backlog'", 0,
                        Integer.MAX_VALUE);
                case "defer-accept" -> deferAccept = true;
                case "tfo" -> fastOpen = true;
                case "transparent" -> transparent = true;
                case "tcp-ut" -> userTimeout = (int) Units.time(value(args, ++i, option)).toMillis();
                // Our IPv6 listeners always take IPv4 clients too (IPV6_V6ONLY off): what v4v6 asks.
                case "v4v6" -> { }
                case "mode" -> unixMode = octalMode(value(args, ++i, option), args.get(0));
                case "user", "uid" -> unixUser = value(args, ++i, option);
                case "group", "gid" -> unixGroup = value(args, ++i, option);
                // Without 'ssl' HAProxy 2.6 keeps the list but never uses it ('ssl' itself is refused below).
                case "alpn", "npn" -> diagnostics.notice(location, "'bind " + args.get(0) + "': '" + option + " "
                        + value(args, ++i, option) + "' accepted: without 'ssl' it has no effect, as in HAProxy");
                case "ssl" -> throw new ConfigException("'bind " + args.get(0) + "': 'ssl' is refused: TLS is "
                        + "terminated by sluice-terminator, which forwards plain traffic with a PROXY header "
                        + "(use 'accept-proxy')");
                default -> throw new ConfigException(refusal(option, args.get(0)));
            }
        }
        return new Bind(location, endpoints, acceptProxy, maxconn, name, proto, new BindSocket(backlog, deferAccept,
                fastOpen, transparent, userTimeout, unixMode, unixUser, unixGroup));
    }

    private static int octalMode(String text, String address) throws ConfigException {
        if (!text.matches("0?[0-7]{1,3}")) {
            throw new ConfigException("'bind " + address + "': 'mode' expects an octal permission like 600 (got '"
                    + text + "')");
        }
        return Integer.parseInt(text, 8);
    }

    private static String value(List<String> args, int index, String option) throws ConfigException {
        if (index >= args.size()) {
            throw new ConfigException("'bind " + args.get(0) + "': '" + option + "' expects an argument");
        }
        return args.get(index);
    }

    private static String refusal(String option, String address) {
        String reason = Unsupported.BIND.get(option);
        if (reason != null) {
            return "'bind " + address + "': '" + option + "' is not supported yet (" + reason + ")";
        }
        String close = Suggestions.closest(option, KNOWN, Unsupported.BIND.keySet());
        return "'bind " + address + "': unknown keyword '" + option + "'"
                + (close == null ? "" : "; did you mean '" + close + "'?");
    }
}
