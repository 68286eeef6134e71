package dev.sluice.common.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our encoder's bytes into HAProxy's {@code bind … accept-proxy}: HAProxy answers with the
 * source, source port, destination, destination port, authority and unique id it read from our
 * header, so a mismatch in any field (or a CRC32C it disagreed with, which it refuses) fails here.
 */
class ProxyEncoderHaproxyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: sluice\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    private static ExternalProcess haproxy;
    private static int port;

    @BeforeAll
    static void startHaproxy() throws IOException {
        port = Ports.free();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend pp
                    bind 127.0.0.1:%d accept-proxy
                    http-request return status 200 content-type text/plain lf-string "%%[src] %%[src_port] %%[dst] %%[dst_port] a=%%[fc_pp_authority] u=%%[fc_pp_unique_id]"
                """.formatted(port));
        haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f", config.toString()));
        haproxy.awaitListening("127.0.0.1", port, TIMEOUT);
    }

    @AfterAll
    static void stopHaproxy() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    /** Sends what {@code encoder} writes, then a request; returns HAProxy's response body. */
    private static String exchange(ProxyHeader header, BiConsumer<ProxyHeader, ByteBuf> encoder) throws IOException {
        ByteBuf out = Unpooled.buffer();
        byte[] bytes;
        try {
            encoder.accept(header, out);
            out.writeBytes(REQUEST);
            bytes = ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream os = socket.getOutputStream();
            os.write(bytes);
            os.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200"), response + "\n" + haproxy.describe());
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void v1Tcp4() throws IOException {
        ProxyHeader header = ProxyHeader.proxy(ProxyVectors.inet("203.0.113.7", 4242), ProxyVectors.inet("198.51.100.1", 443), List.of());
        assertEquals("203.0.113.7 4242 198.51.100.1 443 a= u=", exchange(header, ProxyHeaderEncoder::encodeV1));
    }

    @Test
    void v1Tcp6() throws IOException {
        ProxyHeader header = ProxyHeader.proxy(ProxyVectors.inet6("2001:db8::7", 65535), ProxyVectors.inet6("2001:db8::1", 8443), List.of());
        assertEquals("2001:db8::7 65535 2001:db8::1 8443 a= u=", exchange(header, ProxyHeaderEncoder::encodeV1));
    }

    @Test
    void v2Tcp4WithTlvsAndCrc32c() throws IOException {
        ProxyHeader header = ProxyHeader.proxy(ProxyVectors.inet("203.0.113.7", 4242), ProxyVectors.inet("198.51.100.1", 443),
                List.of(Tlv.alpn("h2"), Tlv.authority("sluice.example"), Tlv.uniqueId("req-1".getBytes(StandardCharsets.US_ASCII)),
                        Tlv.ssl(SslInfo.of("TLSv1.3", "TLS_AES_128_GCM_SHA256")), Tlv.of(0xE0, new byte[] {1, 2, 3})));
        assertEquals("203.0.113.7 4242 198.51.100.1 443 a=sluice.example u=req-1",
                exchange(header, (h, out) -> ProxyHeaderEncoder.encodeV2(h, out, true)));
    }

    @Test
    void v2Tcp6WithoutCrc() throws IOException {
        ProxyHeader header = ProxyHeader.proxy(ProxyVectors.inet6("2001:db8::7", 1), ProxyVectors.inet6("::1", 80),
                List.of(Tlv.authority("v6.example")));
        assertEquals("2001:db8::7 1 ::1 80 a=v6.example u=", exchange(header, (h, out) -> ProxyHeaderEncoder.encodeV2(h, out, false)));
    }

    @Test
    void v2WithACorruptedCrcIsRefusedByHaproxy() throws IOException {
        ProxyHeader header = ProxyHeader.proxy(ProxyVectors.inet("203.0.113.7", 4242), ProxyVectors.inet("198.51.100.1", 443), List.of());
        ByteBuf out = Unpooled.buffer();
        byte[] bytes;
        try {
            ProxyHeaderEncoder.encodeV2(header, out, true);
            out.setByte(out.writerIndex() - 1, out.getByte(out.writerIndex() - 1) ^ 1);
            out.writeBytes(REQUEST);
            bytes = ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(bytes);
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertEquals("", response, "HAProxy checks the CRC32C and closes: so ours is the one it computes");
        } catch (java.net.SocketException reset) {
            // a reset is HAProxy's refusal too
        }
    }

    @Test
    void encoderHandlerInANettyClientPipeline() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            CompletableFuture<String> body = new CompletableFuture<>();
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            StringBuilder response = new StringBuilder();
                            ch.pipeline().addLast(new ProxyHeaderEncoder(2, true), new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                    response.append(msg.toString(StandardCharsets.ISO_8859_1));
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    body.complete(response.substring(response.indexOf("\r\n\r\n") + 4));
                                }
                            });
                        }
                    })
                    .connect("127.0.0.1", port).sync().channel();
            InetSocketAddress local = (InetSocketAddress) channel.localAddress();
            InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
            channel.write(ProxyHeader.proxy(local, remote, List.of(Tlv.authority("pipeline.example"))));
            channel.writeAndFlush(Unpooled.wrappedBuffer(REQUEST));
            assertEquals("127.0.0.1 " + local.getPort() + " 127.0.0.1 " + port + " a=pipeline.example u=",
                    body.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
