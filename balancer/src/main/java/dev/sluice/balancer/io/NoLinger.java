package dev.sluice.balancer.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import java.util.function.Consumer;

/**
 * {@code option nolinger} (HAProxy 2.6, checked with {@code ss}): a frontend's client connection
 * ends with a FIN after the last byte, then a reset instead of waiting in FIN_WAIT for the
 * client's close, so the socket leaves the tables at once; a backend's server connection is reset
 * when closed. Both through SO_LINGER 0; the client side first shuts its output down so that what
 * was written still arrives before the reset.
 */
public final class NoLinger {

    /** Linger off: close() discards what is unsent and sends a reset. */
    private static final int RESET_ON_CLOSE = 0;
    /** Name of the close handler, first in the pipeline so that every close passes it last. */
    public static final String HANDLER = "nolinger-close";

    private NoLinger() {
    }

    /** A pipeline builder that first sets a frontend's accepted TCP connections to reset when closed. */
    public static Consumer<Channel> client(boolean noLinger, Consumer<Channel> init) {
        if (!noLinger) {
            return init;
        }
        return channel -> {
            if (channel instanceof DuplexChannel && channel.config().setOption(ChannelOption.SO_LINGER,
                    RESET_ON_CLOSE)) {
                channel.pipeline().addFirst(HANDLER, FinThenReset.INSTANCE);
            }
            init.accept(channel);
        };
    }

    /** Sets every server connection {@code bootstrap} opens to reset when closed. */
    public static void server(boolean noLinger, Bootstrap bootstrap) {
        if (noLinger) {
            bootstrap.option(ChannelOption.SO_LINGER, RESET_ON_CLOSE);
        }
    }

    /** Shuts the output down (FIN after the data written) before the close that resets. */
    @ChannelHandler.Sharable
    static final class FinThenReset extends ChannelOutboundHandlerAdapter {
        static final FinThenReset INSTANCE = new FinThenReset();

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            DuplexChannel channel = (DuplexChannel) ctx.channel();
            if (!channel.isActive() || channel.isOutputShutdown()) {
                ctx.close(promise);
                return;
            }
            channel.shutdownOutput().addListener(done -> ctx.close(promise));
        }
    }
}
