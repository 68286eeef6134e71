package dev.sluice.terminator.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;

/**
 * proxy-proxy mode: takes the client's decoded PROXY header, gives it to the connector, which
 * writes it to the backend, and leaves. The decoder before it leaves by itself once done.
 */
final class ProxyCapture extends ChannelInboundHandlerAdapter {
    private final BackendConnector connector;

    ProxyCapture(BackendConnector connector) {
        this.connector = connector;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage header) {
            connector.incomingProxy(header);
            ctx.pipeline().remove(this);
            // The decoder produced a message, so it will not ask for more: the handshake needs bytes.
            ctx.read();
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
