package dev.sluice.balancer.io;

import dev.sluice.balancer.runtime.ProxyTuning;
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
 * The socket options a proxy section asks for: {@code option clitcpka}/{@code srvtcpka} as
 * SO_KEEPALIVE, then TCP_KEEPCNT, TCP_KEEPIDLE and TCP_KEEPINTVL where the configuration gives
 * them (through Netty's epoll options natively, through the JDK's extended socket options with
 * NIO). A frontend's settings act on the client sockets it accepts, a backend's on the server
 * sockets it opens. Unix sockets have no TCP keep-alive and are left alone, as HAProxy does.
 *
 * <p>{@code option nolinger} is in {@link NoLinger}: HAProxy 2.6 ends a client connection with its
 * FIN and then a reset, which needs a handler at close time as well as the socket option.
 */
public final class SocketOptions {

    private SocketOptions() {
    }

    /** A pipeline builder that first applies the frontend's {@code tuning} to each accepted TCP connection. */
    public static Consumer<Channel> client(ProxyTuning tuning, Consumer<Channel> init) {
        TcpKeepAlive keepAlive = tuning.clientKeepAlive();
        if (!keepAlive.enabled()) {
            return init;
        }
        return channel -> {
            if (channel instanceof SocketChannel) {
                channel.config().setOption(ChannelOption.SO_KEEPALIVE, true);
                each(keepAlive, channel instanceof EpollSocketChannel,
                        (option, value) -> channel.config().setOption(option, value));
            }
            init.accept(channel);
        };
    }

    /** Applies the backend's {@code tuning} to every connection {@code bootstrap} opens with {@code transport}. */
    public static void server(ProxyTuning tuning, Transport transport, Bootstrap bootstrap) {
        TcpKeepAlive keepAlive = tuning.serverKeepAlive();
        if (keepAlive.enabled()) {
            bootstrap.option(ChannelOption.SO_KEEPALIVE, true);
            each(keepAlive, transport == Transport.EPOLL, bootstrap::option);
        }
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
