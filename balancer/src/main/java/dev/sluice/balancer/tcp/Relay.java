package dev.sluice.balancer.tcp;

import dev.sluice.balancer.log.LogTap;
import dev.sluice.balancer.io.Deadline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;

/**
 * Joins two connected channels of one event loop into a byte relay: each side is read only while
 * the other is writable; when either ends, the other is flushed and closed; the pair closes when
 * idle past its timeout. Used by {@code mode tcp} and by HTTP tunnels (WebSocket, CONNECT).
 * Minimal on purpose (no half-close); it should merge with {@code dev.sluice.common.relay}.
 */
public final class Relay {
    public static final String NAME = "relay";

    private final Deadline idle;

    private Relay(Channel client, Duration idleTimeout) {
        idle = new Deadline(client.eventLoop(), () -> {
            LogTap.idleTimeout(client); // access log: the session ended by its idle timeout (cD)
            client.close();
        });
        idle.arm(idleTimeout);
    }

    /** Installs the relay as the last handler of both pipelines and starts reading both sides. */
    public static void join(Channel client, Channel server, Duration idleTimeout) {
        Relay relay = new Relay(client, idleTimeout);
        client.pipeline().addLast(NAME, relay.new Side(server));
        server.pipeline().addLast(NAME, relay.new Side(client));
        client.closeFuture().addListener(f -> relay.idle.cancel());
        client.read();
        server.read();
    }

    private final class Side extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Side(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf)) {
                // The tail of an HTTP exchange (an empty last content) reaching us after a switch.
                ReferenceCountUtil.release(msg);
                return;
            }
            idle.touch();
            peer.write(msg, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
            if (peer.isWritable()) {
                ctx.read();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                peer.read();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer.isActive()) {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
