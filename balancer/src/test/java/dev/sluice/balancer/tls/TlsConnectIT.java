package dev.sluice.balancer.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.backend.Connector;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.runtime.ServerConnections;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerPersistence;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.ServerResolution;
import dev.sluice.balancer.runtime.ServerTls;
import dev.sluice.balancer.support.TestPki;
import dev.sluice.common.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsConnect} and {@link ServerTlsContext} against a BoringSSL server on loopback that tells, once
 * its handshake is done, the SNI it was sent: the future completes after the handshake (or fails for a
 * certificate the settings refuse, the connection closed) and the handshake phase leaves the pipeline.
 * Session resumption is seen by nginx in ServerTlsDifferentialIT.
 */
class TlsConnectIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static TestPki.Issued ca;
    static TestPki.Issued wrong;
    static EventLoopGroup group;
    static Channel listener;
    /** What the server saw of each handshake: "sni=NAME". */
    static final BlockingQueue<String> seen = new ArrayBlockingQueue<>(16);
    /** The SNI of the last handshake the server looked up a context for. */
    static volatile String lastName;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki(dir);
        ca = pki.authority("ca", "Test CA");
        wrong = pki.authority("wrong", "Wrong CA");
        TestPki.Issued server = pki.issue("server", ca, "CN=backend.test", "backend.test", "*.wild.test");
        SslContext context = SslContextBuilder.forServer(server.crt().toFile(), server.key().toFile())
                .sslProvider(SslProvider.OPENSSL).build();
        group = Transport.best().newGroup(1, Thread.ofPlatform().daemon().factory());
        listener = new ServerBootstrap().group(group).channel(Transport.best().serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        Mapping<String, SslContext> any = name -> {
                            lastName = name == null ? "" : name; // tests connect one at a time
                            return context;
                        };
                        channel.pipeline().addLast(new SniHandler(any), new Reporter());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterAll
    static void stop() throws Exception {
        listener.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Reports each handshake and answers one line, so the client sees data only after its handshake. */
    private static final class Reporter extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                seen.add("sni=" + lastName);
                ctx.writeAndFlush(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII));
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    private static ServerTls settings(boolean verify, TestPki.Issued authority, String sni, String verifyHost,
                                      boolean reuse) {
        return new ServerTls(true, verify, Optional.ofNullable(authority).map(TestPki.Issued::crt), Optional.empty(),
                Optional.ofNullable(sni), Optional.ofNullable(verifyHost), List.of(), Optional.empty(),
                Optional.empty(), ServerTls.TlsVersion.TLS1_2, ServerTls.TlsVersion.TLS1_3, reuse,
                ServerTls.Check.NONE);
    }

    private static Server server(ServerTls tls) {
        InetSocketAddress address = (InetSocketAddress) listener.localAddress();
        return new Server(new ServerPlan("s", address, 1, 0, false, false, 0, ServerHealth.NONE,
                ServerPersistence.NONE, 0, ServerConnections.DEFAULTS, ServerResolution.NONE, tls), () -> { },
                null, 0, "b");
    }

    /** Connects with the SNI value {@code sni} (null: none) and waits for the future. */
    private static ChannelFuture connect(Server server, String sni, BlockingQueue<String> received) throws Exception {
        Connector connector = new Connector(Transport.best(), WAIT, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf bytes = (ByteBuf) msg;
                        received.add(bytes.toString(StandardCharsets.US_ASCII));
                        bytes.release();
                    }
                });
            }
        });
        ChannelFuture[] future = new ChannelFuture[1];
        group.submit(() -> future[0] = TlsConnect.open(connector, group.next(), server,
                server.address(), sni)).sync();
        future[0].await(WAIT.toMillis());
        assertTrue(future[0].isDone(), "no answer in " + WAIT);
        return future[0];
    }

    @Test
    void theFutureCompletesAfterTheHandshakeAndThePhaseLeaves() throws Exception {
        seen.clear();
        BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
        ChannelFuture done = connect(server(settings(false, null, null, null, true)), null, received);
        assertTrue(done.isSuccess(), String.valueOf(done.cause()));
        Channel channel = done.channel();
        assertTrue(((SslHandler) channel.pipeline().get(TlsConnect.NAME)).handshakeFuture().isSuccess());
        assertNull(channel.pipeline().get("server-tls-handshake"), "the handshake phase left the pipeline");
        assertEquals("sni=", seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        channel.read(); // reads on demand, as the exchanges do
        assertEquals("hello\n", received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        channel.close().sync();
    }

    @Test
    void verifyRequiredWithTheSniAsTheName() throws Exception {
        seen.clear();
        Server server = server(settings(true, ca, "str(x)", null, true));
        ChannelFuture done = connect(server, "a.wild.test", new ArrayBlockingQueue<>(4));
        assertTrue(done.isSuccess(), String.valueOf(done.cause()));
        assertEquals("sni=a.wild.test", seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        done.channel().close().sync();
        ChannelFuture other = connect(server, "elsewhere.test", new ArrayBlockingQueue<>(4));
        assertFalse(other.isSuccess(), "a certificate that does not name the SNI");
        assertTrue(String.valueOf(rootCause(other.cause()).getMessage()).contains("does not name 'elsewhere.test'"),
                String.valueOf(other.cause()));
        other.channel().closeFuture().await(WAIT.toMillis());
        assertFalse(other.channel().isOpen(), "a failed handshake closes the connection");
    }

    @Test
    void verifyhostWhenNoSniIsSent() throws Exception {
        seen.clear();
        ChannelFuture good = connect(server(settings(true, ca, null, "backend.test", true)), null,
                new ArrayBlockingQueue<>(4));
        assertTrue(good.isSuccess(), String.valueOf(good.cause()));
        assertEquals("sni=", seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), "verifyhost is not sent");
        good.channel().close().sync();
        ChannelFuture bad = connect(server(settings(true, ca, null, "nomatch.test", true)), null,
                new ArrayBlockingQueue<>(4));
        assertFalse(bad.isSuccess());
        assertTrue(String.valueOf(rootCause(bad.cause()).getMessage()).contains("does not name 'nomatch.test'"));
    }

    @Test
    void anotherAuthorityIsRefused() throws Exception {
        ChannelFuture done = connect(server(settings(true, wrong, null, null, true)), null, new ArrayBlockingQueue<>(4));
        assertFalse(done.isSuccess());
        assertNotNull(done.cause());
        done.channel().closeFuture().await(WAIT.toMillis());
        assertFalse(done.channel().isOpen());
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
