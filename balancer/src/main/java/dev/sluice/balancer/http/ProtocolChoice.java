package dev.sluice.balancer.http;

import dev.sluice.common.proxy.ProxyHeader;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On an {@code accept-proxy} bind, waits for the PROXY header and installs the protocol it names:
 * HTTP/2 when its ALPN TLV says {@code h2} (the terminator negotiated it with the client), else
 * HTTP/1.1. Then it leaves; the bytes after the header reach the handlers it installed.
 */
final class ProtocolChoice extends ChannelInboundHandlerAdapter {
    static final String NAME = "protocol-choice";
    private static final String H2 = "h2";

    private final HttpFrontend front;

    ProtocolChoice(HttpFrontend front) {
        this.front = front;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ProxyHeader header) {
            choose(ctx, header.alpn().map(H2::equals).orElse(false));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Bytes with no header event before them (a header the decoder let pass): HTTP/1.1.
        choose(ctx, false);
        ctx.fireChannelRead(msg);
    }

    private void choose(ChannelHandlerContext ctx, boolean h2) {
        if (h2) {
            front.initHttp2(ctx.channel());
        } else {
            front.initHttp1(ctx.channel());
        }
        ctx.pipeline().remove(this);
    }
}
