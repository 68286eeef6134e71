package dev.sluice.balancer.stats;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in every HTTP server connection: counts the bytes that cross the socket (heads included; on an
 * HTTP/2 stream, the payload of its DATA frames)
 * into the exchange that owns the connection now, as its backend's and server's {@code bin} and
 * {@code bout}. One per server connection, set by the exchange that takes the connection.
 */
public final class ServerBytes extends ChannelDuplexHandler {
    public static final String NAME = "server-bytes";

    private ExchangeStats owner;

    /** The exchange whose backend and server get the bytes from now on. */
    public void countInto(ExchangeStats exchange) {
        owner = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner != null && msg instanceof ByteBuf buf) {
            owner.responseBytes(buf.readableBytes());
        } else if (owner != null && msg instanceof io.netty.buffer.ByteBufHolder data) {
            owner.responseBytes(data.content().readableBytes()); // an HTTP/2 stream's DATA frame
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (owner != null && msg instanceof ByteBuf buf) {
            owner.requestBytes(buf.readableBytes());
        } else if (owner != null && msg instanceof io.netty.buffer.ByteBufHolder data) {
            owner.requestBytes(data.content().readableBytes()); // an HTTP/2 stream's DATA frame
        }
        ctx.write(msg, promise);
    }
}
