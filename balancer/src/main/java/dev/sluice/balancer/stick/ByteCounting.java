package dev.sluice.balancer.stick;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a client connection's bytes into its tracked entries ({@code bytes_in_*} from the client,
 * {@code bytes_out_*} to it). Sits first in the pipeline, where messages are still raw buffers; only
 * installed on frontends whose rules track into a table that stores byte counts, and adds nothing
 * while the connection tracks nothing. Sitting before the PROXY header phase, it also counts the
 * header's bytes, which HAProxy does not: a few dozen bytes per connection.
 */
@ChannelHandler.Sharable
public final class ByteCounting extends ChannelDuplexHandler {
    public static final String NAME = "stick-bytes";
    public static final ByteCounting INSTANCE = new ByteCounting();

    private ByteCounting() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long bytes = size(msg);
        if (bytes > 0) {
            TrackedCounters counters = Tracking.existing(ctx.channel());
            if (counters != null) {
                counters.bytesIn(bytes);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long bytes = size(msg);
        if (bytes > 0) {
            TrackedCounters counters = Tracking.existing(ctx.channel());
            if (counters != null) {
                counters.bytesOut(bytes);
            }
        }
        ctx.write(msg, promise);
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        return msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }
}
