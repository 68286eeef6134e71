package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.model.Bind;
import dev.sluice.balancer.config.model.Endpoint;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code bind ADDR[,ADDR…] [accept-proxy] [maxconn N] [name NAME] [proto NAME]}. */
final class BindKeywords {

    private static final Set<String> KNOWN = Set.of("accept-proxy", "maxconn", "name", "proto", "ssl");

    /** The muxes HAProxy 2.6 knows for {@code proto}; the engine speaks the first two. */
    private static final Set<String> PROTOS = Set.of("h1", "h2", "fcgi", "none", "quic");
    private static final Set<String> SPOKEN = Set.of("h1", "h2");

    private BindKeywords() {
    }

    static Bind parse(SourceLocation location, List<String> args) throws ConfigException {
        List<Endpoint> endpoints = Addresses.bindList(args.get(0));
        boolean acceptProxy = false;
        int maxconn = 0;
        Optional<String> name = Optional.empty();
        Optional<String> proto = Optional.empty();
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
                case "ssl" -> throw new ConfigException("'bind " + args.get(0) + "': 'ssl' is refused: TLS is "
                        + "terminated by sluice-terminator, which forwards plain traffic with a PROXY header "
                        + "(use 'accept-proxy')");
                default -> throw new ConfigException(refusal(option, args.get(0)));
            }
        }
        return new Bind(location, endpoints, acceptProxy, maxconn, name, proto);
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
