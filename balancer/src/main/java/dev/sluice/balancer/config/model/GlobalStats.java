package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The global {@code stats socket} lines and {@code stats timeout}.
 *
 * @param timeout an idle runtime-API session is closed after it (HAProxy's default is 10 s)
 */
public record GlobalStats(List<Socket> sockets, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final GlobalStats NONE = new GlobalStats(List.of(), DEFAULT_TIMEOUT);

    /**
     * {@code stats socket PATH|ipv4@ADDR:PORT [mode M] [level L]}.
     *
     * @param path    a unix socket path, or {@code null} for a TCP address
     * @param address host of a TCP socket, or {@code null}
     * @param mode    permission bits of a unix socket, or -1
     * @param level   {@code user}, {@code operator} or {@code admin}
     * @param owner   the user and group a unix socket is given ({@code user/uid/group/gid})
     */
    public record Socket(SourceLocation location, String path, String address, int port, int mode, String level,
                         Owner owner) {
        public Socket(SourceLocation location, String path, String address, int port, int mode, String level) {
            this(location, path, address, port, mode, level, Owner.KEEP);
        }

        public Socket {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(owner, "owner");
            if ((path == null) == (address == null)) {
                throw new IllegalArgumentException("stats socket: exactly one of path and address");
            }
        }
    }

    /**
     * The owner of a unix stats socket, set with chown after it is bound.
     *
     * @param uid the user id, or -1 to keep the process's
     * @param gid the group id, or -1 to keep the process's
     */
    public record Owner(int uid, int gid) {
        public static final Owner KEEP = new Owner(-1, -1);

        public Owner {
            if (uid < -1 || gid < -1) {
                throw new IllegalArgumentException("owner: " + uid + ":" + gid + " (expected: >= 0, or -1 to keep)");
            }
        }

        public boolean changes() {
            return uid >= 0 || gid >= 0;
        }
    }

    public GlobalStats {
        sockets = List.copyOf(sockets);
        Objects.requireNonNull(timeout, "timeout");
    }
}
