package dev.sluice.balancer.tcp;

import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.io.Deadline;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code mode tcp}: relays bytes between a client and one server, each side read only while the
 * other is writable, closing both when either ends or the pair is idle past its timeout. A
 * minimal relay of our own; it should merge with {@code dev.sluice.common.relay} (half-close
 * included) once that lands.
 */
final class TcpRelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(TcpRelayHandler.class);

    private final TcpFrontend front;
    private final ArrayDeque<Object> early = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private Channel serverChannel;
    private Server server;
    private int retriesLeft;
    private Deadline idle;
    private boolean closed;

    TcpRelayHandler(TcpFrontend front) {
        this.front = front;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        idle = new Deadline(ctx.executor(), () -> {
            log.debug("{}: idle timeout", ctx.channel());
            ctx.close();
        });
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        idle.arm(front.idleTimeout());
        if (front.backend() == null || (server = front.backend().take(null)) == null) {
            ctx.close();
            return;
        }
        retriesLeft = front.backend().plan().retries();
        connect();
    }

    private void connect() {
        ChannelFuture future = front.connector().connect(ctx.channel().eventLoop(), server.plan().address());
        future.addListener((ChannelFutureListener) this::connected);
    }

    private void connected(ChannelFuture f) {
        if (closed) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            server.connectFailed();
            if (retriesLeft-- > 0) {
                connect();
            } else {
                ctx.close();
            }
            return;
        }
        serverChannel = f.channel();
        serverChannel.pipeline().addLast(new ServerSide());
        Object msg;
        while ((msg = early.poll()) != null) {
            serverChannel.write(msg, serverChannel.voidPromise());
        }
        serverChannel.flush();
        serverChannel.read();
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        idle.touch();
        if (serverChannel == null) {
            early.add(msg);
            return;
        }
        serverChannel.write(msg, serverChannel.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (serverChannel == null) {
            return;
        }
        serverChannel.flush();
        if (serverChannel.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && serverChannel != null) {
            serverChannel.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        idle.cancel();
        Object msg;
        while ((msg = early.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        if (serverChannel != null) {
            serverChannel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        if (server != null) {
            server.giveBack();
            server = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /** The server's half of the pair. */
    private final class ServerSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext serverCtx, Object msg) {
            idle.touch();
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext serverCtx) {
            ctx.flush();
            if (ctx.channel().isWritable()) {
                serverCtx.read();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext serverCtx) {
            if (serverCtx.channel().isWritable()) {
                ctx.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext serverCtx) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext serverCtx, Throwable cause) {
            serverCtx.close();
        }
    }
}
