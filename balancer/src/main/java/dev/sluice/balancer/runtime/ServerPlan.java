package dev.sluice.balancer.runtime;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One {@code server NAME ADDR:PORT [weight N] [maxconn N] [disabled] [backup] [id N]} line.
 *
 * @param weight  0..256 as in HAProxy; 0 means the server takes no new traffic
 * @param maxconn concurrent connections to this server; 0 means unlimited
 * @param id      HAProxy's numeric id; 0 means "assign by position"
 * @param health  health checks and slowstart
 * @param persistence its {@code cookie} value and {@code maxqueue}
 * @param minconn the limit under low backend load ({@code minconn}, scaled up to {@code maxconn} as the backend's
 *                load nears its {@code fullconn}); equal to {@code maxconn} for a static limit
 * @param connections PROXY header, {@code check-send-proxy}, {@code pool-max-conn}, {@code pool-purge-delay},
 *                {@code max-reuse}
 * @param resolution how the address is found at run time ({@code resolvers}); {@link ServerResolution#NONE} for a
 *                fixed address. With {@link ServerResolution#unresolved()} the address is a placeholder.
 * @param tls     {@code ssl} and its family: TLS on the server's connections and health checks
 * @param source  {@code source}: the local address its connections (and checks) are bound to
 */
public record ServerPlan(String name, InetSocketAddress address, int weight, int maxconn,
                         boolean disabled, boolean backup, int id, ServerHealth health,
                         ServerPersistence persistence, int minconn, ServerConnections connections,
                         ServerResolution resolution, ServerTls tls, SourceAddress source) {

    /** A server reached in clear, without {@code source}. */
    public ServerPlan(String name, InetSocketAddress address, int weight, int maxconn,
                      boolean disabled, boolean backup, int id, ServerHealth health,
                      ServerPersistence persistence, int minconn, ServerConnections connections,
                      ServerResolution resolution) {
        this(name, address, weight, maxconn, disabled, backup, id, health, persistence, minconn, connections,
                resolution, ServerTls.NONE, SourceAddress.NONE);
    }

    /** A server without {@code source}. */
    public ServerPlan(String name, InetSocketAddress address, int weight, int maxconn,
                      boolean disabled, boolean backup, int id, ServerHealth health,
                      ServerPersistence persistence, int minconn, ServerConnections connections,
                      ServerResolution resolution, ServerTls tls) {
        this(name, address, weight, maxconn, disabled, backup, id, health, persistence, minconn, connections,
                resolution, tls, SourceAddress.NONE);
    }

    /** A server whose address is fixed. */
    public ServerPlan(String name, InetSocketAddress address, int weight, int maxconn,
                      boolean disabled, boolean backup, int id, ServerHealth health,
                      ServerPersistence persistence, int minconn, ServerConnections connections) {
        this(name, address, weight, maxconn, disabled, backup, id, health, persistence, minconn, connections,
                ServerResolution.NONE);
    }

    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = 256;

    public ServerPlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("server " + name + ": weight " + weight + " (expected: 0.." + MAX_WEIGHT + ")");
        }
        if (maxconn < 0) {
            throw new IllegalArgumentException("server " + name + ": maxconn " + maxconn + " (expected: >= 0)");
        }
        if (id < 0) {
            throw new IllegalArgumentException("server " + name + ": id " + id + " (expected: >= 0)");
        }
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(persistence, "persistence");
        if (minconn < 0 || minconn > maxconn) {
            throw new IllegalArgumentException("server " + name + ": minconn " + minconn + " (expected: 0.." + maxconn
                    + ", the maxconn)");
        }
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(source, "source");
    }

    /** A server without PROXY headers, with HAProxy's pooling defaults. */
    public ServerPlan(String name, InetSocketAddress address, int weight, int maxconn, boolean disabled,
                      boolean backup, int id, ServerHealth health, ServerPersistence persistence, int minconn) {
        this(name, address, weight, maxconn, disabled, backup, id, health, persistence, minconn,
                ServerConnections.DEFAULTS);
    }

    /** A server whose limit is its {@code maxconn} at any load. */
    public ServerPlan(String name, InetSocketAddress address, int weight, int maxconn, boolean disabled,
                      boolean backup, int id, ServerHealth health, ServerPersistence persistence) {
        this(name, address, weight, maxconn, disabled, backup, id, health, persistence, maxconn);
    }

    /** A server without health checks, slowstart, cookie or queue limit. */
    public ServerPlan(String name, InetSocketAddress address, int weight, int maxconn, boolean disabled,
                      boolean backup, int id) {
        this(name, address, weight, maxconn, disabled, backup, id, ServerHealth.NONE, ServerPersistence.NONE);
    }

    /** A server without cookie or queue limit. */
    public ServerPlan(String name, InetSocketAddress address, int weight, int maxconn, boolean disabled,
                      boolean backup, int id, ServerHealth health) {
        this(name, address, weight, maxconn, disabled, backup, id, health, ServerPersistence.NONE);
    }

    /** A server without health checks or slowstart. */
    public ServerPlan(String name, InetSocketAddress address, int weight, int maxconn, boolean disabled,
                      boolean backup, int id, ServerPersistence persistence) {
        this(name, address, weight, maxconn, disabled, backup, id, ServerHealth.NONE, persistence);
    }

    public ServerPlan withHealth(ServerHealth newHealth) {
        return new ServerPlan(name, address, weight, maxconn, disabled, backup, id, newHealth, persistence, minconn,
                connections, resolution, tls, source);
    }

    public static ServerPlan of(String name, InetSocketAddress address) {
        return new ServerPlan(name, address, DEFAULT_WEIGHT, 0, false, false, 0);
    }
}
