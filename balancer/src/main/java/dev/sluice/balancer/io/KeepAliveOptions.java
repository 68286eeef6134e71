package dev.sluice.balancer.io;

import dev.sluice.balancer.runtime.TcpKeepAlive;
import dev.sluice.common.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;

/**
 * {@code option clitcpka}/{@code srvtcpka} as socket options: SO_KEEPALIVE, then TCP_KEEPCNT,
 * TCP_KEEPIDLE and TCP_KEEPINTVL where the configuration gives them (through Netty's epoll options
 * natively, through the JDK's extended socket options with NIO). Unix sockets have no TCP
 * keep-alive and are left alone, as HAProxy does.
 */
public final class KeepAliveOptions {

    private KeepAliveOptions() {
    }

    /** A pipeline builder that first sets {@code keepAlive} on each accepted TCP connection. */
    public static Consumer<Channel> client(TcpKeepAlive keepAlive, Consumer<Channel> init) {
        if (!keepAlive.enabled()) {
            return init;
        }
        return channel -> {
            if (channel instanceof SocketChannel) {
                boolean epoll = channel instanceof EpollSocketChannel;
                channel.config().setOption(ChannelOption.SO_KEEPALIVE, true);
                each(keepAlive, epoll, (option, value) -> channel.config().setOption(option, value));
            }
            init.accept(channel);
        };
    }

    /** Sets {@code keepAlive} on every connection {@code bootstrap} opens with {@code transport}. */
    public static void server(TcpKeepAlive keepAlive, Transport transport, Bootstrap bootstrap) {
        if (!keepAlive.enabled()) {
            return;
        }
        bootstrap.option(ChannelOption.SO_KEEPALIVE, true);
        each(keepAlive, transport == Transport.EPOLL, bootstrap::option);
    }

    private static void each(TcpKeepAlive keepAlive, boolean epoll, BiConsumer<ChannelOption<Integer>, Integer> set) {
        if (keepAlive.count() > 0) {
            set.accept(epoll ? EpollChannelOption.TCP_KEEPCNT : NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT),
                    keepAlive.count());
        }
        if (keepAlive.idleSeconds() > 0) {
            set.accept(epoll ? EpollChannelOption.TCP_KEEPIDLE : NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                    keepAlive.idleSeconds());
        }
        if (keepAlive.intervalSeconds() > 0) {
            set.accept(epoll ? EpollChannelOption.TCP_KEEPINTVL
                    : NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), keepAlive.intervalSeconds());
        }
    }
}
