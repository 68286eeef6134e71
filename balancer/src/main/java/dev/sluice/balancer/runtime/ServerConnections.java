package dev.sluice.balancer.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How the balancer opens, keeps and reuses one server's connections.
 *
 * @param proxyLine      the PROXY header each new connection starts with
 * @param checkSendProxy {@code check-send-proxy}: health checks send a PROXY header too
 * @param poolMaxConn    {@code pool-max-conn}: idle connections kept for the server; -1 unlimited, 0 none
 * @param poolPurgeDelay {@code pool-purge-delay}: every such interval half of the idle connections are closed;
 *                       zero keeps none
 * @param maxReuse       {@code max-reuse}: times a connection may be reused after its first request; -1 unlimited
 * @param protocol       {@code proto}: HTTP/1.1, or HTTP/2 with prior knowledge ({@code proto h2})
 */
public record ServerConnections(ProxyLine proxyLine, boolean checkSendProxy, int poolMaxConn,
                                Duration poolPurgeDelay, int maxReuse, ServerProtocol protocol) {

    /** HAProxy 2.6's {@code pool-purge-delay} default. */
    public static final Duration DEFAULT_PURGE_DELAY = Duration.ofSeconds(5);
    public static final int UNLIMITED = -1;

    public static final ServerConnections DEFAULTS =
            new ServerConnections(ProxyLine.NONE, false, UNLIMITED, DEFAULT_PURGE_DELAY, UNLIMITED);

    /** Settings of a server spoken to in HTTP/1.1 (no {@code proto}). */
    public ServerConnections(ProxyLine proxyLine, boolean checkSendProxy, int poolMaxConn, Duration poolPurgeDelay,
                             int maxReuse) {
        this(proxyLine, checkSendProxy, poolMaxConn, poolPurgeDelay, maxReuse, ServerProtocol.HTTP1);
    }

    public ServerConnections {
        Objects.requireNonNull(proxyLine, "proxyLine");
        if (poolMaxConn < UNLIMITED) {
            throw new IllegalArgumentException("pool-max-conn: " + poolMaxConn + " (expected: -1 or more)");
        }
        Objects.requireNonNull(poolPurgeDelay, "poolPurgeDelay");
        if (poolPurgeDelay.isNegative()) {
            throw new IllegalArgumentException("pool-purge-delay: " + poolPurgeDelay + " (expected: >= 0)");
        }
        if (maxReuse < UNLIMITED) {
            throw new IllegalArgumentException("max-reuse: " + maxReuse + " (expected: -1 or more)");
        }
        Objects.requireNonNull(protocol, "protocol");
        if (protocol == ServerProtocol.H2 && proxyLine.enabled()) {
            throw new IllegalArgumentException("proto h2 with a PROXY header (expected: one or the other)");
        }
    }

    /** Keeps no idle connection at all: nothing may be parked. */
    public boolean keepsNoIdle() {
        return poolMaxConn == 0 || poolPurgeDelay.isZero() || maxReuse == 0;
    }

    /**
     * A connection that carried a client's PROXY header speaks for that client alone: HAProxy 2.6 reuses
     * one only for a request whose PROXY header would be identical, which, with the client's port in it,
     * means the same client connection.
     */
    public boolean privateToClient() {
        return proxyLine.enabled();
    }
}
