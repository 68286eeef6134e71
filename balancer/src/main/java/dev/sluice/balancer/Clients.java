package dev.sluice.balancer;

import dev.sluice.balancer.front.Drain;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The client connections one configuration accepted. When a reload retires that configuration,
 * each one is told to {@link Drain#RELOAD drain}; a connection whose pipeline was still being
 * built at that instant (accepted just before the listener switched) is told by {@link #joined}.
 */
final class Clients {
    private final ChannelGroup channels = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private volatile Drain drain;

    /** Called by the listener once the connection's pipeline is built. */
    /** The open client connections now. */
    java.util.List<Channel> snapshot() {
        return java.util.List.copyOf(channels);
    }

    void joined(Channel client) {
        channels.add(client);
        Drain now = drain;
        if (now != null) {
            client.eventLoop().execute(() -> client.pipeline().fireUserEventTriggered(now));
        }
    }

    /** Tells every connection, now and to come, to drain in the way {@code how} says. */
    void drain(Drain how) {
        drain = how;
        for (Channel client : channels) {
            client.eventLoop().execute(() -> client.pipeline().fireUserEventTriggered(how));
        }
    }

    int size() {
        return channels.size();
    }

    boolean isEmpty() {
        return channels.isEmpty();
    }

    void closeAll() {
        channels.close().awaitUninterruptibly();
    }
}
