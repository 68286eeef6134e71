package dev.sluice.balancer.runtime;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The process-wide visibility settings.
 *
 * @param proxyOrder every frontend, backend and listen name in file order (the stats tables' order)
 * @param sockets    {@code stats socket} lines
 * @param cliTimeout {@code stats timeout}: an idle runtime-API session is closed after it
 */
public record StatsPlan(List<String> proxyOrder, List<Socket> sockets, Duration cliTimeout) {
    /** HAProxy's default {@code stats timeout}. */
    public static final Duration DEFAULT_CLI_TIMEOUT = Duration.ofSeconds(10);
    public static final StatsPlan NONE = new StatsPlan(List.of(), List.of(), DEFAULT_CLI_TIMEOUT);

    /** What a runtime-API session may do; each level includes the ones before it. */
    public enum Level { USER, OPERATOR, ADMIN }

    /**
     * @param mode the unix socket's permission bits, or -1 to keep the default
     * @param uid  the unix socket's owner, or -1 to keep the process's
     * @param gid  the unix socket's group, or -1 to keep the process's
     */
    public record Socket(SocketAddress address, int mode, Level level, int uid, int gid) {
        public Socket(SocketAddress address, int mode, Level level) {
            this(address, mode, level, -1, -1);
        }

        public Socket {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(level, "level");
        }
    }

    public StatsPlan {
        proxyOrder = List.copyOf(proxyOrder);
        sockets = List.copyOf(sockets);
        Objects.requireNonNull(cliTimeout, "cliTimeout");
    }
}
