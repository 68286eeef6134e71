package dev.sluice.balancer.tcp;

import dev.sluice.balancer.log.LogTap;
import dev.sluice.common.relay.RelayPolicy;
import io.netty.channel.Channel;
import java.time.Duration;

/**
 * The balancer's byte relay for {@code mode tcp} and HTTP tunnels (WebSocket, CONNECT): the shared
 * {@link dev.sluice.common.relay.Relay} with HAProxy's half-close (a client's FIN reaches the server
 * as a FIN and the server's answer still flows back), its idle limit, {@code timeout client-fin} and
 * {@code server-fin}, and the access log told when an idle timeout ends the session.
 */
public final class Relay {
    public static final String NAME = dev.sluice.common.relay.Relay.HANDLER_NAME;

    private Relay() {
    }

    /** Joins the two channels (same event loop, called on it) with an idle limit only. */
    public static void join(Channel client, Channel server, Duration idleTimeout) {
        join(client, server, idleTimeout, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Joins the two channels. As in HAProxy, {@code serverFin} replaces the idle limit (when set and
     * shorter) once the client's FIN has been passed on to the server, and {@code clientFin} once
     * the server's FIN has been passed on to the client.
     */
    public static void join(Channel client, Channel server, Duration idleTimeout, Duration clientFin,
                            Duration serverFin) {
        RelayPolicy policy = new RelayPolicy(idleTimeout, clientFin, serverFin, false,
                () -> LogTap.idleTimeout(client)); // access log: the session ended by its idle timeout (cD)
        dev.sluice.common.relay.Relay.start(client, server, policy, stats -> { });
    }
}
