package dev.sluice.terminator.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The metrics listener: answers any request with the counters in Prometheus text format and
 * closes (HTTP/1.0 style, so no HTTP codec is needed for a scraper's GET).
 */
@ChannelHandler.Sharable
final class MetricsResponder extends ChannelInboundHandlerAdapter {
    private final Counters counters;

    MetricsResponder(Counters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (!ctx.channel().isActive() || ctx.channel().attr(Answered.KEY).setIfAbsent(Boolean.TRUE) != null) {
            return;
        }
        byte[] body = counters.prometheus().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuf response = ByteBufUtil.encodeString(ctx.alloc(), java.nio.CharBuffer.wrap(head), StandardCharsets.US_ASCII);
        response.writeBytes(body);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static final class Answered {
        static final io.netty.util.AttributeKey<Boolean> KEY = io.netty.util.AttributeKey.valueOf("metrics-answered");
    }
}
