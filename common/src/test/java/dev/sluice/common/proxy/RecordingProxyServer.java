package dev.sluice.common.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server on loopback behind {@link ProxyHeaderDecoder}: for each connection it records
 * the header it was handed (event and attribute) and the request bytes after it, then answers
 * {@code 200 ok} and closes. Used by the interop tests as the receiving end of real peers.
 */
final class RecordingProxyServer implements AutoCloseable {
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);

    /** What one connection delivered: the header from the event and from the attribute, then the request. */
    record Received(ProxyHeader event, ProxyHeader attribute, String request, InetSocketAddress peer) {
    }

    final ProxyCounters counters = new ProxyCounters();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    RecordingProxyServer(ProxyAcceptance acceptance) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ProxyHeaderDecoder(acceptance, counters), new Recorder());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    Received take(Duration timeout) throws InterruptedException {
        Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no request reached the server within " + timeout + "; " + counters);
        }
        return next;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream request = new ByteArrayOutputStream();
        private ProxyHeader event;
        private boolean answered;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ProxyHeader header) {
                event = header;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                buf.readBytes(request, buf.readableBytes());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            } finally {
                buf.release();
            }
            String text = request.toString(StandardCharsets.ISO_8859_1);
            if (!answered && text.contains("\r\n\r\n")) {
                answered = true;
                received.add(new Received(event, ctx.channel().attr(ProxyHeader.ATTRIBUTE).get(), text,
                        (InetSocketAddress) ctx.channel().remoteAddress()));
                ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
