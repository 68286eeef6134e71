package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/** The selecting handler on an EmbeddedChannel, fed a real ClientHello from a client engine. */
class CertSelectorTest {
    private static final KeyPair KEYS = TestCerts.ec();

    @TempDir
    Path dir;

    private TlsSettings settings() throws Exception {
        Path pem = Files.writeString(dir.resolve("www.pem"), TestCerts.pkcs8(KEYS)
                + TestCerts.pem(TestCerts.current(KEYS, "www.test", "www.test")));
        return TlsSettings.defaults(List.of(PemSource.combined(pem)));
    }

    private static ByteBuf clientHello(String serverName) throws Exception {
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        EmbeddedChannel channel = new EmbeddedChannel(client.newHandler(Unpooled.buffer().alloc(), serverName, 443));
        CompositeByteBuf hello = Unpooled.compositeBuffer();
        for (ByteBuf part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
            hello.addComponent(true, part);
        }
        channel.finishAndReleaseAll();
        io.netty.util.ReferenceCountUtil.release(client);
        return hello;
    }

    private static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            seen.add(event);
        }
    }

    @Test
    void replacesItselfByAnSslHandlerAndReportsTheName() throws Exception {
        try (TlsContexts contexts = TlsContexts.load(settings())) {
            Events events = new Events();
            EmbeddedChannel channel = new EmbeddedChannel();
            channel.pipeline().addLast(contexts.newHandler(channel), events);
            assertInstanceOf(CertSelector.class, channel.pipeline().first());
            channel.writeInbound(clientHello("www.test"));
            assertInstanceOf(SslHandler.class, channel.pipeline().first());
            assertNull(channel.pipeline().get(CertSelector.class));
            SniCompletionEvent sni = (SniCompletionEvent) events.seen.stream()
                    .filter(SniCompletionEvent.class::isInstance).findFirst().orElseThrow();
            assertTrue(sni.isSuccess());
            assertEquals("www.test", sni.hostname());
            ByteBuf serverHello = channel.readOutbound();
            assertEquals(0x16, serverHello.getUnsignedByte(0), "the SslHandler answered with a handshake record");
            serverHello.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void abortsAnUnknownNameWithAnUnrecognizedNameAlert() throws Exception {
        try (TlsContexts contexts = TlsContexts.load(settings().withSniNoMatchAbort(true))) {
            Events events = new Events();
            EmbeddedChannel channel = new EmbeddedChannel();
            channel.pipeline().addLast(contexts.newHandler(channel), events);
            channel.writeInbound(clientHello("other.test"));
            ByteBuf alert = channel.readOutbound();
            assertArrayEquals(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70}, ByteBufUtil.getBytes(alert));
            alert.release();
            assertFalse(channel.isOpen());
            SniCompletionEvent sni = (SniCompletionEvent) events.seen.getFirst();
            assertFalse(sni.isSuccess());
            assertEquals("other.test", sni.hostname());
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void closesAConnectionThatSendsNoClientHelloWithinTheHandshakeTimeout() throws Exception {
        try (TlsContexts contexts = TlsContexts.load(settings())) {
            Events events = new Events();
            EmbeddedChannel channel = new EmbeddedChannel();
            channel.freezeTime();
            channel.pipeline().addLast(contexts.newHandler(channel), events);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01}));
            channel.advanceTimeBy(settings().handshakeTimeout().toMillis() - 1, java.util.concurrent.TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            assertTrue(channel.isOpen());
            channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            assertFalse(channel.isOpen());
            io.netty.handler.ssl.SslHandshakeCompletionEvent event =
                    (io.netty.handler.ssl.SslHandshakeCompletionEvent) events.seen.getFirst();
            assertInstanceOf(io.netty.handler.ssl.SslHandshakeTimeoutException.class, event.cause());
            channel.finishAndReleaseAll();
        }
    }
}
