package dev.sluice.balancer.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * The timeouts of one proxy section, as HAProxy names them. {@link Duration#ZERO} means "not set";
 * the {@code effective*} methods apply HAProxy's fallbacks (http-request falls back to client,
 * http-keep-alive to http-request, tunnel to the larger of client and server, client-hs to
 * client, queue to connect), and a result of zero means "no timeout".
 *
 * <p>Client-side values (client, http-request, http-keep-alive, client-hs, client-fin) are read
 * from the frontend; server-side values (connect, server, queue, tunnel, server-fin) from the
 * backend, as in HAProxy. The fin timeouts apply to relayed bytes once that side has sent its FIN.
 */
public record Timeouts(Duration connect, Duration client, Duration server, Duration httpRequest,
                       Duration httpKeepAlive, Duration queue, Duration tunnel, Duration clientHs,
                       Duration clientFin, Duration serverFin) {

    /** No timeout set at all (HAProxy warns about this; the engine then waits forever). */
    public static final Timeouts NONE = new Timeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /** Timeouts without {@code client-fin} and {@code server-fin}. */
    public Timeouts(Duration connect, Duration client, Duration server, Duration httpRequest,
                    Duration httpKeepAlive, Duration queue, Duration tunnel, Duration clientHs) {
        this(connect, client, server, httpRequest, httpKeepAlive, queue, tunnel, clientHs, Duration.ZERO,
                Duration.ZERO);
    }

    public Timeouts {
        check("connect", connect);
        check("client", client);
        check("server", server);
        check("http-request", httpRequest);
        check("http-keep-alive", httpKeepAlive);
        check("queue", queue);
        check("tunnel", tunnel);
        check("client-hs", clientHs);
        check("client-fin", clientFin);
        check("server-fin", serverFin);
    }

    private static void check(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException("timeout " + name + ": " + value + " (expected: >= 0)");
        }
    }

    /** Time allowed for a complete request head; HAProxy falls back to {@code timeout client}. */
    public Duration effectiveHttpRequest() {
        return httpRequest.isZero() ? client : httpRequest;
    }

    /** Idle time between two requests on a kept-alive client connection. */
    public Duration effectiveHttpKeepAlive() {
        return httpKeepAlive.isZero() ? effectiveHttpRequest() : httpKeepAlive;
    }

    /** Time allowed for the PROXY header (and, later, handshakes). */
    public Duration effectiveClientHs() {
        return clientHs.isZero() ? client : clientHs;
    }

    /** Time a request may wait for a free server slot. */
    public Duration effectiveQueue() {
        return queue.isZero() ? connect : queue;
    }

    /** Idle time of a tunnel (WebSocket, CONNECT) given the frontend's client timeout. */
    public Duration effectiveTunnel(Duration clientTimeout) {
        if (!tunnel.isZero()) {
            return tunnel;
        }
        return clientTimeout.compareTo(server) >= 0 ? clientTimeout : server;
    }

    public Timeouts withConnect(Duration value) {
        return new Timeouts(value, client, server, httpRequest, httpKeepAlive, queue, tunnel, clientHs);
    }

    public Timeouts withClient(Duration value) {
        return new Timeouts(connect, value, server, httpRequest, httpKeepAlive, queue, tunnel, clientHs);
    }

    public Timeouts withServer(Duration value) {
        return new Timeouts(connect, client, value, httpRequest, httpKeepAlive, queue, tunnel, clientHs);
    }

    public Timeouts withHttpRequest(Duration value) {
        return new Timeouts(connect, client, server, value, httpKeepAlive, queue, tunnel, clientHs);
    }

    public Timeouts withHttpKeepAlive(Duration value) {
        return new Timeouts(connect, client, server, httpRequest, value, queue, tunnel, clientHs);
    }

    public Timeouts withQueue(Duration value) {
        return new Timeouts(connect, client, server, httpRequest, httpKeepAlive, value, tunnel, clientHs);
    }

    public Timeouts withTunnel(Duration value) {
        return new Timeouts(connect, client, server, httpRequest, httpKeepAlive, queue, value, clientHs);
    }

    public Timeouts withClientHs(Duration value) {
        return new Timeouts(connect, client, server, httpRequest, httpKeepAlive, queue, tunnel, value);
    }
}
