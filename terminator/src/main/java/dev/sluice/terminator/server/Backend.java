package dev.sluice.terminator.server;

import dev.sluice.common.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * How to reach the backend: its address, resolved once at start, and a bootstrap template whose
 * connections use the client's event loop and the same transport as the client.
 */
final class Backend {
    private final Bootstrap template;
    private final SocketAddress address;

    Backend(Transport transport, SocketAddress address, Duration connectTimeout) {
        this.address = address;
        boolean tcp = address instanceof InetSocketAddress;
        this.template = new Bootstrap()
                .channel(tcp ? transport.socketChannel() : transport.domainChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(Idle.INSTANCE);
        if (tcp) {
            template.option(ChannelOption.TCP_NODELAY, true);
        }
    }

    /** Connects on {@code client}'s event loop. */
    ChannelFuture connect(Channel client) {
        return template.clone(client.eventLoop()).connect(address);
    }

    SocketAddress address() {
        return address;
    }

    /** The backend pipeline is empty until the relay joins; Bootstrap needs a handler meanwhile. */
    @ChannelHandler.Sharable
    private static final class Idle extends ChannelInboundHandlerAdapter {
        static final Idle INSTANCE = new Idle();
    }
}
