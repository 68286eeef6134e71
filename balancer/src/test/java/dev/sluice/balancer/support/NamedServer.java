package dev.sluice.balancer.support;

import dev.sluice.common.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server that answers every request with its own name as the body, so a test sees which
 * server a balancer chose. A request whose path starts with {@code /hold} is answered only after
 * {@link #release()}, to keep it in progress (for {@code leastconn} and {@code first}).
 */
public final class NamedServer implements AutoCloseable {
    private static final int MAX_REQUEST = 64 * 1024;

    private final String name;
    private final EventLoopGroup group;
    private final Channel listener;
    private final List<ChannelHandlerContext> held = new CopyOnWriteArrayList<>();
    private final CountDownLatch holding = new CountDownLatch(1);

    public NamedServer(String name) {
        this(name, new InetSocketAddress("127.0.0.1", 0));
    }

    /** A server listening on {@code bind} (e.g. 127.0.0.x with a shared port, as DNS-found servers are). */
    public NamedServer(String name, InetSocketAddress bind) {
        this.name = name;
        Transport transport = Transport.best();
        group = transport.newGroup(1, new DefaultThreadFactory("named-" + name));
        listener = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST),
                                new Answer());
                    }
                })
                .bind(bind).syncUninterruptibly().channel();
    }

    public String name() {
        return name;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Waits until a {@code /hold} request arrived here. */
    public boolean awaitHeld(long millis) throws InterruptedException {
        return holding.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Answers every held request. */
    public void release() {
        for (ChannelHandlerContext ctx : held) {
            ctx.executor().execute(() -> ctx.writeAndFlush(response()));
        }
        held.clear();
    }

    private FullHttpResponse response() {
        byte[] body = name.getBytes(StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.uri().startsWith("/hold")) {
                held.add(ctx);
                holding.countDown();
                return;
            }
            ctx.writeAndFlush(response());
        }
    }
}
