package dev.sluice.balancer.front;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The address of the client a connection speaks for: the PROXY header's source when the bind has
 * {@code accept-proxy}, otherwise the socket's peer. Everything that needs "the client" (forwardfor,
 * logs, ACLs) reads it here and never {@code remoteAddress()} directly.
 */
public final class ClientAddress {
    private static final AttributeKey<InetSocketAddress> KEY = AttributeKey.valueOf(ClientAddress.class, "client");

    private ClientAddress() {
    }

    public static void set(Channel channel, InetSocketAddress address) {
        channel.attr(KEY).set(address);
    }

    /** The client's address, or {@code null} for a unix-socket peer that sent no PROXY source. */
    public static InetSocketAddress of(Channel channel) {
        InetSocketAddress fromProxy = channel.attr(KEY).get();
        if (fromProxy != null) {
            return fromProxy;
        }
        SocketAddress peer = channel.remoteAddress();
        return peer instanceof InetSocketAddress inet ? inet : null;
    }
}
