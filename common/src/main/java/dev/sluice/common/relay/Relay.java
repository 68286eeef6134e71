package dev.sluice.common.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Joins two connected channels of one event loop and moves bytes both ways until both directions
 * have ended. Reads are on demand (autoRead off): a side is read only while the other side can
 * take more, so neither direction buffers more than one read. Buffers pass through untouched (no
 * copies). When one side's input ends, the other side's output is shut down (half-close; a TLS
 * side sends close_notify first); when both have ended, or either closes or fails, both close.
 */
public final class Relay {
    /** The pipeline name of the relay handler on both channels. */
    public static final String HANDLER_NAME = "relay";

    private Relay() {
    }

    /**
     * Starts relaying between {@code client} and {@code backend}, which must share an event loop;
     * call it on that loop. Whatever is already in their pipelines stays in front of the relay.
     *
     * @param idleTimeout  close both after this long without a byte either way; zero: never
     * @param onClose      called once on the event loop with the totals when both channels closed
     */
    public static RelayStats start(Channel client, Channel backend, Duration idleTimeout, Consumer<RelayStats> onClose) {
        return start(client, backend, idleTimeout, onClose, false);
    }

    /**
     * {@link #start}, where {@code backendEndClosesBoth} chooses what the backend's FIN does: true
     * closes both connections once what the backend sent is delivered (a TLS client gets
     * close_notify), as hitch does, so that a client that never reads again (an idle keep-alive
     * connection) does not hold the connection open; false half-closes as for the client's FIN.
     */
    public static RelayStats start(Channel client, Channel backend, Duration idleTimeout, Consumer<RelayStats> onClose,
                                   boolean backendEndClosesBoth) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        return start(client, backend, new RelayPolicy(idleTimeout, Duration.ZERO, Duration.ZERO, backendEndClosesBoth,
                null), onClose);
    }

    /**
     * {@link #start} with every ending rule of {@code policy}: idle limits, the shorter limits that
     * apply once a side has ended ({@code timeout client-fin|server-fin}), and a hook for idle
     * timeouts. A side whose input ended before the relay started is handled as if it ended now.
     */
    public static RelayStats start(Channel client, Channel backend, RelayPolicy policy, Consumer<RelayStats> onClose) {
        Objects.requireNonNull(policy, "policy");
        if (client.eventLoop() != backend.eventLoop()) {
            throw new IllegalArgumentException("client and backend must share an event loop");
        }
        if (!client.eventLoop().inEventLoop()) {
            throw new IllegalStateException("Relay.start must run on the channels' event loop");
        }
        return join(client, backend, policy, onClose);
    }

    /** {@link #start} without the event-loop checks, for EmbeddedChannel tests (one loop each). */
    static RelayStats join(Channel client, Channel backend, Duration idleTimeout, Consumer<RelayStats> onClose) {
        return join(client, backend, idleTimeout, onClose, false);
    }

    static RelayStats join(Channel client, Channel backend, Duration idleTimeout, Consumer<RelayStats> onClose,
                           boolean backendEndClosesBoth) {
        return join(client, backend, new RelayPolicy(idleTimeout, Duration.ZERO, Duration.ZERO, backendEndClosesBoth,
                null), onClose);
    }

    static RelayStats join(Channel client, Channel backend, RelayPolicy policy, Consumer<RelayStats> onClose) {
        for (Channel channel : new Channel[] {client, backend}) {
            channel.config().setAutoRead(false);
            channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        RelaySession session = new RelaySession(client, backend, policy, onClose);
        client.pipeline().addLast(HANDLER_NAME, session.clientHandler());
        backend.pipeline().addLast(HANDLER_NAME, session.backendHandler());
        session.begin();
        return session.stats();
    }
}
