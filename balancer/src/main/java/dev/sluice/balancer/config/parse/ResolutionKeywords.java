package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.runtime.IpNetwork;
import dev.sluice.balancer.runtime.ServerResolution;
import dev.sluice.balancer.runtime.ServerResolution.DupIp;
import dev.sluice.balancer.runtime.ServerResolution.Family;
import dev.sluice.balancer.runtime.ServerResolution.InitAddr;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server options of run-time DNS ({@code resolvers}, {@code resolve-prefer}, {@code resolve-opts},
 * {@code resolve-net}) and of the address at start ({@code init-addr}), as HAProxy 2.6 reads them.
 */
final class ResolutionKeywords {

    @FunctionalInterface
    interface Setter {
        ServerResolution set(ServerResolution current, String value) throws ConfigException;
    }

    /** Keyword → how its value changes the draft's resolution settings. */
    static final Map<String, Setter> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("resolvers", (r, v) -> {
            Names.check(v, "'resolvers' name");
            return new ServerResolution(r.fqdn(), Optional.of(v), Optional.empty(), r.prefer(), r.dupIp(),
                    r.ignoreWeight(), r.networks(), r.initAddr(), r.unresolved());
        });
        VALUES.put("resolve-prefer", (r, v) -> new ServerResolution(r.fqdn(), r.resolversName(), r.resolvers(),
                family(v), r.dupIp(), r.ignoreWeight(), r.networks(), r.initAddr(), r.unresolved()));
        VALUES.put("resolve-opts", ResolutionKeywords::opts);
        VALUES.put("resolve-net", (r, v) -> new ServerResolution(r.fqdn(), r.resolversName(), r.resolvers(),
                r.prefer(), r.dupIp(), r.ignoreWeight(), networks(v), r.initAddr(), r.unresolved()));
        VALUES.put("init-addr", (r, v) -> new ServerResolution(r.fqdn(), r.resolversName(), r.resolvers(),
                r.prefer(), r.dupIp(), r.ignoreWeight(), r.networks(), initAddr(v), r.unresolved()));
    }

    private ResolutionKeywords() {
    }

    private static Family family(String value) throws ConfigException {
        return switch (value) {
            case "ipv4" -> Family.IPV4;
            case "ipv6" -> Family.IPV6;
            default -> throw new ConfigException("'resolve-prefer' expects one of 'ipv4' or 'ipv6' but got '"
                    + value + "'");
        };
    }

    private static ServerResolution opts(ServerResolution r, String value) throws ConfigException {
        DupIp dup = r.dupIp();
        boolean ignoreWeight = r.ignoreWeight();
        for (String option : value.split(",", -1)) {
            switch (option) {
                case "allow-dup-ip" -> dup = DupIp.ALLOW;
                case "prevent-dup-ip" -> dup = DupIp.PREVENT;
                case "ignore-weight" -> ignoreWeight = true;
                default -> throw new ConfigException("'resolve-opts' unknown option '" + option + "' (expected: "
                        + "allow-dup-ip, ignore-weight, prevent-dup-ip)");
            }
        }
        return new ServerResolution(r.fqdn(), r.resolversName(), r.resolvers(), r.prefer(), dup, ignoreWeight,
                r.networks(), r.initAddr(), r.unresolved());
    }

    private static List<IpNetwork> networks(String value) throws ConfigException {
        List<IpNetwork> networks = new ArrayList<>();
        for (String text : value.split(",", -1)) {
            var network = Addresses.network(text, "resolve-net");
            networks.add(new IpNetwork(network.address(), network.prefixLength()));
        }
        return networks;
    }

    /** {@code init-addr {last | libc | none | <ip>},[...]*}. */
    static List<InitAddr> initAddr(String value) throws ConfigException {
        List<InitAddr> methods = new ArrayList<>();
        for (String method : value.split(",", -1)) {
            methods.add(switch (method) {
                case "last" -> new InitAddr.Last();
                case "libc" -> new InitAddr.Libc();
                case "none" -> new InitAddr.None();
                default -> {
                    InetAddress address = NetUtil.createInetAddressFromIpAddressString(method);
                    if (address == null) {
                        throw new ConfigException("'init-addr' expects 'last', 'libc', 'none' or an IP address, "
                                + "comma-separated (got '" + method + "')");
                    }
                    yield new InitAddr.Ip(address);
                }
            });
        }
        return methods;
    }
}
