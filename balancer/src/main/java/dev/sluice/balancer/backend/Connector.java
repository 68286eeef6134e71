package dev.sluice.balancer.backend;

import dev.sluice.common.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import dev.sluice.balancer.runtime.SourceAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opens connections to servers on the event loop of the client that needs them, with the
 * transport's channel class, reads on demand (autoRead off) and {@code timeout connect}.
 */
public final class Connector {
    private final Bootstrap base;
    private final Duration connectTimeout;

    /** @param initializer a sharable handler that sets up each new server connection's pipeline */
    public Connector(Transport transport, Duration connectTimeout, ChannelHandler initializer) {
        this(transport, connectTimeout, initializer, dev.sluice.balancer.runtime.ProxyTuning.NONE);
    }

    /** @param tuning the backend's settings: {@code option srvtcpka}, {@code srvtcpka-*} */
    public Connector(Transport transport, Duration connectTimeout, ChannelHandler initializer,
                     dev.sluice.balancer.runtime.ProxyTuning tuning) {
        this(transport, connectTimeout, initializer, tuning, false);
    }

    /** @param noLinger the backend's {@code option nolinger}: server connections reset when closed */
    public Connector(Transport transport, Duration connectTimeout, ChannelHandler initializer,
                     dev.sluice.balancer.runtime.ProxyTuning tuning, boolean noLinger) {
        this(transport, connectTimeout, initializer, tuning, noLinger, dev.sluice.balancer.runtime.GlobalTuning.DEFAULTS);
    }

    /** @param buffers {@code tune.rcvbuf.server} and {@code tune.sndbuf.server} */
    public Connector(Transport transport, Duration connectTimeout, ChannelHandler initializer,
                     dev.sluice.balancer.runtime.ProxyTuning tuning, boolean noLinger,
                     dev.sluice.balancer.runtime.GlobalTuning buffers) {
        this.connectTimeout = connectTimeout;
        base = new Bootstrap()
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(initializer);
        dev.sluice.balancer.io.SocketOptions.server(tuning, transport, base);
        dev.sluice.balancer.io.NoLinger.server(noLinger, base);
        dev.sluice.balancer.io.SocketBuffers.server(buffers, base);
    }

    /** {@code timeout connect}: also bounds an HTTP/2 server's wait for its first SETTINGS frame. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    public ChannelFuture connect(EventLoop loop, InetSocketAddress address) {
        return base.clone(loop).connect(address);
    }

    /** To the server's current address, from its {@code source} address when it has one. */
    public ChannelFuture connect(EventLoop loop, Server server) {
        return connect(loop, server.address(), server.plan().source());
    }

    /** To {@code address}, from {@code source} when it is set. */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress address, SourceAddress source) {
        return source.isSet() ? base.clone(loop).connect(address, source.local()) : base.clone(loop).connect(address);
    }
}
