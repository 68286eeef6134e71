package dev.sluice.common.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.common.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The relay between real loopback sockets: large bodies both ways, backpressure and half-close. */
class RelayIT {
    private static final int BODY = 10 * 1024 * 1024;
    private static final long TIMEOUT_SECONDS = 60;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void tenMegabytesEachWayWithHalfClose(Transport transport) throws Exception {
        if (transport == Transport.EPOLL && Transport.best() != Transport.EPOLL) {
            throw new AssertionError("epoll must be available on the test machines");
        }
        byte[] up = randomBytes(1);
        byte[] down = randomBytes(2);
        LinkedBlockingQueue<RelayStats> finished = new LinkedBlockingQueue<>();
        EventLoopGroup group = transport.newGroup(1, Thread.ofPlatform().daemon().factory());
        // Blocking socket peers each need their own thread (the common pool may have only one).
        try (ExecutorService threads = Executors.newCachedThreadPool();
             ServerSocket backendListener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            InetSocketAddress backendAddress = (InetSocketAddress) backendListener.getLocalSocketAddress();
            Channel relayListener = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel client) {
                            client.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.pipeline().remove(this);
                                    ChannelFuture connect = new Bootstrap().group(client.eventLoop())
                                            .channel(transport.socketChannel())
                                            .option(ChannelOption.AUTO_READ, false)
                                            .handler(new ChannelInboundHandlerAdapter())
                                            .connect(backendAddress);
                                    connect.addListener(f -> {
                                        if (f.isSuccess()) {
                                            Relay.start(client, connect.channel(), Duration.ofSeconds(30), finished::add);
                                        } else {
                                            client.close();
                                        }
                                    });
                                }
                            });
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            int relayPort = ((InetSocketAddress) relayListener.localAddress()).getPort();

            CompletableFuture<byte[]> backendReceived = CompletableFuture.supplyAsync(() -> {
                try (Socket backend = backendListener.accept()) {
                    CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> readAll(backend), threads);
                    // The client half-closed after its body; the backend still answers with its own.
                    OutputStream out = backend.getOutputStream();
                    out.write(down);
                    out.flush();
                    backend.shutdownOutput();
                    return reading.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            byte[] clientReceived;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), relayPort)) {
                CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> readAll(client), threads);
                client.getOutputStream().write(up);
                client.shutdownOutput();
                clientReceived = reading.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            assertArrayEquals(sha256(up), sha256(backendReceived.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)),
                              "client to backend body differs");
            assertArrayEquals(sha256(down), sha256(clientReceived), "backend to client body differs");
            RelayStats stats = finished.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(stats != null, "the relay did not report its end");
            assertEquals(BODY, stats.clientToBackend());
            assertEquals(BODY, stats.backendToClient());
            assertEquals(RelayEnd.COMPLETED, stats.end());
            relayListener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static byte[] randomBytes(long seed) {
        byte[] bytes = new byte[BODY];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] readAll(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
