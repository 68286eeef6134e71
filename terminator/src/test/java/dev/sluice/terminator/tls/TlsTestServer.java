package dev.sluice.terminator.tls;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.sluice.common.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A loopback server whose pipeline is {@link TlsContexts#newHandler} and a handler that answers
 * "OK sni=NAME alpn=PROTOCOL" after the handshake and closes, recording the events it saw.
 */
final class TlsTestServer implements AutoCloseable {
    final Queue<String> events = new ConcurrentLinkedQueue<>();
    private final EventLoopGroup group;
    private final Channel server;
    volatile TlsContexts contexts;
    private final boolean echo;

    TlsTestServer(TlsContexts contexts) throws InterruptedException {
        this(contexts, false);
    }

    /** With {@code echo}, the connection stays open after "OK…" and echoes what it reads. */
    TlsTestServer(TlsContexts contexts, boolean echo) throws InterruptedException {
        this.contexts = contexts;
        this.echo = echo;
        Transport transport = Transport.best();
        group = transport.newGroup(1, new DefaultThreadFactory("tls-test", true));
        server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(TlsTestServer.this.contexts.newHandler(ch), new Answer());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Answer extends ChannelInboundHandlerAdapter {
        private String sni;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SniCompletionEvent sniEvent) {
                sni = sniEvent.hostname();
                events.add("sni " + sni + (sniEvent.isSuccess() ? "" : " failed"));
            } else if (event instanceof SslHandshakeCompletionEvent handshake) {
                events.add("handshake " + (handshake.isSuccess() ? "ok" : "failed " + handshake.cause()));
                if (handshake.isSuccess()) {
                    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                    String alpn = ssl.applicationProtocol();
                    events.add("facts " + TlsFacts.protocol(ssl) + " " + TlsFacts.opensslCipher(ssl) + " sni="
                            + TlsFacts.serverName(ssl) + " resumed=" + TlsFacts.resumed(ssl));
                    var written = ctx.writeAndFlush(Unpooled.copiedBuffer("OK sni=" + sni + " alpn=" + alpn
                            + (echo ? "" : " resumed=" + TlsFacts.resumed(ssl)) + "\n", StandardCharsets.US_ASCII));
                    if (!echo) {
                        written.addListener(ChannelFutureListener.CLOSE);
                    }
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (echo) {
                ctx.writeAndFlush(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("exception " + cause);
            ctx.close();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
