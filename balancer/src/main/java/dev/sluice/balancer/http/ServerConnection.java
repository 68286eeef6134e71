package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a server connection. While an exchange owns the connection it hands every
 * response part and event to that exchange; while the connection is parked in the pool, any byte
 * from the server (a late response, a close) ends it, since a kept-alive HTTP/1.1 server must not
 * speak unasked.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {
    static final String NAME = "server-connection";

    private Channel channel;
    private Server server;
    private HttpExchangeHandler owner;
    /** Responses completed on this connection ({@code max-reuse}, {@code http-reuse aggressive}). */
    private int served;
    /** A stream of a shared HTTP/2 connection ({@code proto h2}, see H2ServerStreams): never pooled. */
    private final boolean multiplexed;
    /** The server reset the stream (RST_STREAM): the request failed there and is not resent. */
    private boolean reset;
    /** The server said it never processed the request (REFUSED_STREAM, or above a GOAWAY's last stream). */
    private boolean unprocessed;

    ServerConnection() {
        this(false);
    }

    ServerConnection(boolean multiplexed) {
        this.multiplexed = multiplexed;
    }

    /** True for a stream of a shared HTTP/2 connection: it ends with its exchange and is never parked. */
    boolean multiplexed() {
        return multiplexed;
    }

    void resetByServer(boolean refused) {
        if (refused) {
            unprocessed = true;
        } else {
            reset = true;
        }
    }

    void unprocessedByServer() {
        unprocessed = true;
    }

    /**
     * Whether a bodyless request that got no response here may go again on another connection: one the
     * server never processed may (once: {@code resentBefore}); on a reused connection that closed, an
     * idempotent one may, unless the server reset it (and an HTTP/2 stream only once).
     */
    boolean resendable(boolean reused, boolean idempotent, boolean resentBefore) {
        if (unprocessed) {
            return !resentBefore;
        }
        // A stream goes again on a shared connection, maybe the same one: once, or it could loop.
        return reused && idempotent && !reset && !(multiplexed && resentBefore);
    }

    Channel channel() {
        return channel;
    }

    Server server() {
        return server;
    }

    void attach(HttpExchangeHandler exchange, Server target) {
        owner = exchange;
        server = target;
    }

    /** Parks the connection in its server's pool for this event loop. */
    void park() {
        if (!park(false)) {
            channel.close();
        }
    }

    /**
     * Parks the connection in its server's pool as {@link ServerReuse} decided; false when the pool is full
     * ({@code pool-max-conn}) and the caller must close it.
     */
    boolean park(boolean proven) {
        owner = null;
        if (!server.offerIdle(channel, proven)) {
            return false;
        }
        // A pending read lets us see the server close (or misbehave) while parked.
        channel.read();
        return true;
    }

    /** Counts one more completed response; returns the count. */
    int served() {
        return ++served;
    }

    void detach() {
        owner = null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner != null && msg instanceof HttpObject part) {
            owner.onResponsePart(part);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.onServerReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null && ctx.channel().isWritable()) {
            owner.onServerWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpExchangeHandler exchange = owner;
        owner = null;
        if (exchange != null) {
            exchange.onServerClosed(this);
        } else if (server != null) {
            server.forgetIdle(ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The exchange learns of it through channelInactive.
        ctx.close();
    }
}
