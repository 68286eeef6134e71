package dev.sluice.balancer.io;

import dev.sluice.balancer.runtime.GlobalTuning;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.util.function.Consumer;

/**
 * {@code tune.rcvbuf.client|server} and {@code tune.sndbuf.client|server}: SO_RCVBUF and SO_SNDBUF
 * of the client sockets the balancer accepts and of the server sockets it opens; 0 leaves the
 * system's (auto-tuned) size, as HAProxy does when they are not set.
 */
public final class SocketBuffers {

    private SocketBuffers() {
    }

    /** A pipeline builder that first sizes each accepted TCP connection's buffers. */
    public static Consumer<Channel> client(GlobalTuning tuning, Consumer<Channel> init) {
        int receive = tuning.rcvbufClient();
        int send = tuning.sndbufClient();
        if (receive == 0 && send == 0) {
            return init;
        }
        return channel -> {
            if (channel instanceof SocketChannel) {
                if (receive > 0) {
                    channel.config().setOption(ChannelOption.SO_RCVBUF, receive);
                }
                if (send > 0) {
                    channel.config().setOption(ChannelOption.SO_SNDBUF, send);
                }
            }
            init.accept(channel);
        };
    }

    /** Sizes the buffers of every server connection {@code bootstrap} opens. */
    public static void server(GlobalTuning tuning, Bootstrap bootstrap) {
        if (tuning.rcvbufServer() > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, tuning.rcvbufServer());
        }
        if (tuning.sndbufServer() > 0) {
            bootstrap.option(ChannelOption.SO_SNDBUF, tuning.sndbufServer());
        }
    }
}
