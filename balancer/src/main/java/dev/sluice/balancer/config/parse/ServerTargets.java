package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.Server;
import dev.sluice.balancer.config.model.ServerAddress;
import dev.sluice.balancer.config.model.ServerOptions;
import dev.sluice.balancer.runtime.ServerResolution;
import dev.sluice.balancer.runtime.ServerResolution.InitAddr;
import java.net.InetAddress;

/**
 * A server's address at start, by its {@code init-addr} methods in order, as HAProxy 2.6 does it: a numeric
 * address is taken as is; for a name, {@code last} finds nothing (we read no server-state file), {@code libc}
 * asks the system's resolver, {@code none} starts the server without an address (in maintenance until DNS
 * answers), an IP is taken as the address. An SRV label starts without an address.
 */
final class ServerTargets {

    /** The address a server without one shows and would connect to: none. */
    static final InetAddress NO_ADDRESS = io.netty.util.NetUtil.createInetAddressFromIpAddressString("0.0.0.0");

    private ServerTargets() {
    }

    static Server server(SourceLocation location, String name, Addresses.ServerTarget target, int id,
                         ServerOptions options, String who, Diagnostics diagnostics) throws ConfigException {
        ServerResolution resolution = options.resolution();
        if (target.numeric() != null) {
            return new Server(location, name, new ServerAddress(target.numeric(), target.port()), id,
                    options.withResolution(resolution.withTarget("", false)));
        }
        if (target.srv()) {
            if (resolution.resolversName().isEmpty()) {
                throw new ConfigException("'" + who + "': SRV label '" + target.host() + "' needs a 'resolvers' "
                        + "section (it is resolved at run time only)");
            }
            return unresolved(location, name, target, id, options);
        }
        boolean triedLibc = false;
        for (InitAddr method : resolution.initAddr()) {
            switch (method) {
                case InitAddr.Last last -> {
                    // No server-state file is read, so there is no last address: the next method is tried.
                }
                case InitAddr.Libc libc -> {
                    triedLibc = true;
                    InetAddress found = Addresses.libc(target.host());
                    if (found != null) {
                        return resolved(location, name, target, id, options, found);
                    }
                }
                case InitAddr.None none -> {
                    return unresolved(location, name, target, id, options);
                }
                case InitAddr.Ip ip -> {
                    return resolved(location, name, target, id, options, ip.address());
                }
            }
        }
        if (!triedLibc) {
            throw new ConfigException("'" + who + "' : no method found to resolve address '" + target.host() + "'");
        }
        if (resolution.resolversName().isEmpty()) {
            throw new ConfigException("'server': could not resolve address '" + target.host() + "'");
        }
        // HAProxy only warns when DNS may still find the name at run time; the server waits in maintenance.
        diagnostics.warning(location, "'" + who + "' : could not resolve address '" + target.host()
                + "', disabling server.");
        return unresolved(location, name, target, id, options);
    }

    private static Server resolved(SourceLocation location, String name, Addresses.ServerTarget target, int id,
                                   ServerOptions options, InetAddress address) {
        return new Server(location, name, new ServerAddress(address, target.port()), id,
                options.withResolution(options.resolution().withTarget(target.host(), false)));
    }

    private static Server unresolved(SourceLocation location, String name, Addresses.ServerTarget target, int id,
                                     ServerOptions options) {
        return new Server(location, name, new ServerAddress(NO_ADDRESS, target.port()), id,
                options.withResolution(options.resolution().withTarget(target.host(), true)));
    }
}
