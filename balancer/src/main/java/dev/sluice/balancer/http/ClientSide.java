package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * What {@link HttpExchangeHandler} needs from the protocol its client speaks, where HTTP/1.1 and
 * an HTTP/2 stream differ: how a HEAD answer is framed, how a refusal page goes out, and how the
 * client side ends. HTTP/1.1 is {@link ProxyResponseEncoder}; an HTTP/2 stream is
 * {@link H2StreamSide}.
 */
interface ClientSide {

    /** The response being written answers a HEAD request: no body is framed. */
    void answeringHead(boolean head);

    /**
     * Sends {@code rawPage} (a complete HTTP/1.1 response, an {@link ErrorPages} page; the callee
     * releases it) and then ends the client side.
     */
    void sendRefusal(ChannelHandlerContext exchange, ByteBuf rawPage);

    /** Flushes what was written and ends the client side (the connection, or the stream). */
    void flushAndEnd(ChannelHandlerContext exchange);

    /** True when one exchange is all the client side carries (an HTTP/2 stream). */
    boolean singleExchange();
}
