package dev.sluice.balancer.stats;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in every client pipeline of a frontend: counts the session ({@code scur}, {@code stot},
 * the session rate) and the bytes as they cross the socket ({@code bin}, {@code bout}, headers and
 * PROXY header included, as HAProxy counts them). One shared instance per frontend.
 */
@ChannelHandler.Sharable
public final class SessionCounter extends ChannelDuplexHandler {
    public static final String NAME = "session-counter";

    private final Counters counters;

    public SessionCounter(Counters counters) {
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        counters.sessionOpened(System.nanoTime());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters.sessionClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            counters.bytesIn(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            counters.bytesOut(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
