package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * {@code option http-ignore-probes}: a browser's speculative "pre-connect" opens connections that
 * may never carry a request. Such a connection that times out or closes before its first request
 * byte ends silently, as HAProxy ends it: no 408, no log line, no error counted. This phase handler
 * sits in front of the HTTP/1 decoder until the first byte arrives, then leaves the pipeline; while
 * it is there, the connection is still a probe.
 */
final class ProbeWatch extends ChannelInboundHandlerAdapter {
    static final String NAME = "probe-watch";

    /** Whether {@code channel} has not received a request byte yet (and the option is on). */
    static boolean silent(Channel channel) {
        return channel.pipeline().get(NAME) != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes) || bytes.isReadable()) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
