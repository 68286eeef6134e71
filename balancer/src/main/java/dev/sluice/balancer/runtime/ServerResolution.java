package dev.sluice.balancer.runtime;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a server's address is found: at start ({@code init-addr}) and at run time by a {@code resolvers}
 * section ({@code resolve-prefer}, {@code resolve-opts}, {@code resolve-net}).
 *
 * @param fqdn          the host name of the server line ({@code _service._proto.name} for SRV); empty for a
 *                      numeric address
 * @param resolversName the {@code resolvers} keyword's section, empty when the name is resolved only at start
 * @param resolvers     that section, once the parser linked it; empty before, or without {@code resolvers}
 * @param prefer        the family taken first when an answer holds both
 * @param dupIp         whether two servers of one backend with the same name may share an address
 * @param ignoreWeight  {@code resolve-opts ignore-weight}: SRV weights leave the server's weight alone
 * @param networks      {@code resolve-net}: addresses inside these are taken first
 * @param initAddr      the {@code init-addr} methods, tried in order at start
 * @param unresolved    the server has no address at start: it waits in maintenance for its first answer
 */
public record ServerResolution(String fqdn, Optional<String> resolversName, Optional<ResolversPlan> resolvers,
                               Family prefer, DupIp dupIp, boolean ignoreWeight, List<IpNetwork> networks,
                               List<InitAddr> initAddr, boolean unresolved) {

    public enum Family { IPV4, IPV6 }

    /** {@code resolve-opts allow-dup-ip|prevent-dup-ip}; HAProxy prevents duplicates unless told. */
    public enum DupIp { DEFAULT, ALLOW, PREVENT }

    /** One {@code init-addr} method. */
    public sealed interface InitAddr {
        /** The system's resolver, once, at load. */
        record Libc() implements InitAddr { }

        /** Start without an address, in maintenance, until the first valid answer. */
        record None() implements InitAddr { }

        /** The address in the server-state file; we read no state file, so this method never succeeds. */
        record Last() implements InitAddr { }

        /** A fixed address to start with. */
        record Ip(InetAddress address) implements InitAddr {
            public Ip {
                Objects.requireNonNull(address, "address");
            }
        }
    }

    /** HAProxy's default {@code init-addr last,libc}. */
    public static final List<InitAddr> DEFAULT_INIT_ADDR = List.of(new InitAddr.Last(), new InitAddr.Libc());

    /** A server without run-time resolution and HAProxy's defaults for everything else. */
    public static final ServerResolution NONE = new ServerResolution("", Optional.empty(), Optional.empty(),
            Family.IPV6, DupIp.DEFAULT, false, List.of(), DEFAULT_INIT_ADDR, false);

    public ServerResolution {
        Objects.requireNonNull(fqdn, "fqdn");
        Objects.requireNonNull(resolversName, "resolversName");
        Objects.requireNonNull(resolvers, "resolvers");
        Objects.requireNonNull(prefer, "prefer");
        Objects.requireNonNull(dupIp, "dupIp");
        networks = List.copyOf(networks);
        initAddr = List.copyOf(initAddr);
        if (initAddr.isEmpty()) {
            throw new IllegalArgumentException("init-addr: empty (expected: at least one method)");
        }
        if (resolvers.isPresent() && !resolvers.get().name().equals(resolversName.orElse(null))) {
            throw new IllegalArgumentException("resolvers: section " + resolvers.get().name() + " linked for "
                    + resolversName.orElse("none"));
        }
    }

    /** Resolved at run time: a host name and a linked {@code resolvers} section. */
    public boolean dynamic() {
        return !fqdn.isEmpty() && resolvers.isPresent();
    }

    /** The name is an SRV label ({@code _service._proto.name}): HAProxy's rule is a leading underscore. */
    public boolean srv() {
        return fqdn.startsWith("_");
    }

    /** HAProxy prevents duplicated addresses unless {@code allow-dup-ip} is set. */
    public boolean allowsDuplicates() {
        return dupIp == DupIp.ALLOW;
    }

    public ServerResolution withTarget(String newFqdn, boolean newUnresolved) {
        return new ServerResolution(newFqdn, resolversName, resolvers, prefer, dupIp, ignoreWeight, networks,
                initAddr, newUnresolved);
    }

    public ServerResolution withResolvers(Optional<ResolversPlan> linked) {
        return new ServerResolution(fqdn, resolversName, linked, prefer, dupIp, ignoreWeight, networks, initAddr,
                unresolved);
    }
}
