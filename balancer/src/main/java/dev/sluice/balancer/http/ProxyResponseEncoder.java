package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * The client-side response encoder, told by the exchange when the response answers a HEAD
 * request: such a response carries its Content-Length or Transfer-Encoding header but no body,
 * not even a last chunk. It is also the HTTP/1.1 {@link ClientSide}.
 */
public final class ProxyResponseEncoder extends HttpResponseEncoder implements ClientSide {
    private boolean answeringHead;

    @Override
    public void answeringHead(boolean value) {
        answeringHead = value;
    }

    @Override
    public void sendRefusal(ChannelHandlerContext exchange, ByteBuf rawPage) {
        // The page is a complete raw response: it goes out below the HTTP encoder.
        exchange.pipeline().context(HttpFrontend.ENCODER).writeAndFlush(rawPage)
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void flushAndEnd(ChannelHandlerContext exchange) {
        exchange.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public boolean singleExchange() {
        return false;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return answeringHead || super.isContentAlwaysEmpty(msg);
    }
}
