package dev.sluice.terminator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.common.net.Transport;
import dev.sluice.terminator.TestCerts;
import dev.sluice.terminator.cli.ConfigBuilder;
import dev.sluice.terminator.cli.Origin;
import dev.sluice.terminator.cli.Setting;
import dev.sluice.terminator.config.ProxyMode;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.tls.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The phase handlers leave: a relaying connection holds only its TLS handler and the relay. */
class PipelineIT {
    @TempDir
    Path dir;

    @Test
    void proxyProxyConnectionShrinksToTlsAndRelay() throws Exception {
        Path pem = TestCerts.ecdsa(dir, "example.com");
        TerminatorConfig config = new ConfigBuilder().apply(List.of(
                Setting.of("pem-file", pem.toString(), Origin.flag("--pem-file")),
                Setting.of("proxy-proxy", "on", Origin.flag("--proxy-proxy"))), ConfigBuilder.Layer.FLAGS).build();
        Transport transport = Transport.best();
        EventLoopGroup loop = transport.newGroup(1, Thread.ofPlatform().daemon().factory());
        LinkedBlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        try (ServerSocket backendListener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             TlsContexts tls = TlsContexts.load(config.frontends().getFirst().tls())) {
            ConnectionSettings settings = new ConnectionSettings(
                    new Backend(transport, backendListener.getLocalSocketAddress(), Duration.ofSeconds(5)),
                    new ProxyHeaderWriter(ProxyMode.PROXY_PROXY, true, true), Duration.ofSeconds(10), Duration.ZERO,
                    new Counters());
            Channel listener = new ServerBootstrap().group(loop).channel(transport.serverChannel())
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel server) {
                            server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object child) {
                                    accepted.add((Channel) child);
                                    ctx.fireChannelRead(child);
                                }
                            });
                        }
                    })
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ClientInitializer(() -> tls, settings, ProxyMode.PROXY_PROXY))
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();

            Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
            Channel child = accepted.poll(10, TimeUnit.SECONDS);
            for (int i = 0; i < 500 && !child.isRegistered(); i++) {
                Thread.sleep(10);
            }
            assertTrue(child.isRegistered(), "open=" + child.isOpen() + " active=" + child.isActive());
            assertEquals(List.of(PipelineNames.PROXY_DECODER, PipelineNames.TLS,
                                 PipelineNames.CONNECT), handlerNames(child));
            raw.getOutputStream().write("PROXY TCP4 203.0.113.9 192.0.2.1 5000 443\r\n".getBytes());

            CompletableFuture<Socket> backendSide = CompletableFuture.supplyAsync(() -> {
                try {
                    return backendListener.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) trustAll().getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
                client.startHandshake();
                Socket backend = backendSide.get(10, TimeUnit.SECONDS);
                OutputStream out = client.getOutputStream();
                out.write("ping".getBytes());
                out.flush();
                byte[] header = "PROXY TCP4 203.0.113.9 192.0.2.1 5000 443\r\n".getBytes();
                assertEquals(new String(header) + "ping",
                             new String(backend.getInputStream().readNBytes(header.length + 4)));
                List<String> names = handlerNames(child);
                assertEquals(2, names.size(), names.toString());
                assertEquals(PipelineNames.RELAY, names.get(1));
                assertInstanceOf(SslHandler.class, child.pipeline().first());
                assertTrue(child.pipeline().get(PipelineNames.CONNECT) == null);
                backend.close();
            }
            listener.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Names of the handlers, read on the event loop. */
    private static List<String> handlerNames(Channel channel) throws Exception {
        return channel.eventLoop().submit(() -> channel.pipeline().names().stream()
                .filter(name -> !name.startsWith("DefaultChannelPipeline$TailContext")).toList()).get(10, TimeUnit.SECONDS);
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return context;
    }

}
