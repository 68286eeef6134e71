package dev.sluice.balancer.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxyHeaderPhaseTest {

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(ProxyHeaderPhase.NAME, new ProxyHeaderPhase(Duration.ofSeconds(5)));
        channel.pipeline().addLast("tail", new ChannelInboundHandlerAdapter());
        return channel;
    }

    @Test
    void sourceBecomesTheClientAndThePhaseLeaves() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 203.0.113.7 192.0.2.1 40000 443\r\nGET /", StandardCharsets.US_ASCII));
        assertEquals(new InetSocketAddress("203.0.113.7", 40000), ClientAddress.of(channel));
        assertNull(channel.pipeline().get(ProxyHeaderPhase.NAME));
        assertEquals(1, channel.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline")).count());
        ByteBuf rest = channel.readInbound();
        assertEquals("GET /", rest.toString(StandardCharsets.US_ASCII));
        rest.release();
        channel.finishAndReleaseAll();
    }

    /** Handlers that wait for the real addresses (tcp-mode rules) start on the event the phase passes on. */
    @Test
    void theHeaderIsPassedOnAfterThePhaseLeft() {
        EmbeddedChannel channel = new EmbeddedChannel();
        java.util.List<Object> events = new java.util.ArrayList<>();
        channel.pipeline().addLast(ProxyHeaderPhase.NAME, new ProxyHeaderPhase(Duration.ofSeconds(5)));
        channel.pipeline().addLast("tail", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object event) {
                assertNull(ctx.pipeline().get(ProxyHeaderPhase.NAME));
                events.add(event);
            }
        });
        channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 203.0.113.7 192.0.2.1 40000 443\r\n", StandardCharsets.US_ASCII));
        assertEquals(1, events.size());
        assertEquals(new InetSocketAddress("203.0.113.7", 40000),
                ((dev.sluice.common.proxy.ProxyHeader) events.getFirst()).source());
        channel.finishAndReleaseAll();
    }

    @Test
    void headerSplitAcrossReadsIsAwaited() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP6 2001:db8::7 ", StandardCharsets.US_ASCII));
        assertNotNull(channel.pipeline().get(ProxyHeaderPhase.NAME));
        channel.writeInbound(Unpooled.copiedBuffer("2001:db8::1 1234 443\r\n", StandardCharsets.US_ASCII));
        assertEquals(new InetSocketAddress("2001:db8::7", 1234), ClientAddress.of(channel));
        channel.finishAndReleaseAll();
    }

    @Test
    void unknownProtocolKeepsTheSocketPeer() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("PROXY UNKNOWN\r\n", StandardCharsets.US_ASCII));
        assertNull(channel.pipeline().get(ProxyHeaderPhase.NAME));
        assertNull(ClientAddress.of(channel));
        channel.finishAndReleaseAll();
    }

    @Test
    void garbageClosesTheConnection() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));
        assertFalse(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void invalidAddressClosesTheConnection() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 999.0.0.1 192.0.2.1 1 2\r\n", StandardCharsets.US_ASCII));
        assertFalse(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void laterHandlersLearnThatTheSourceIsKnownBeforeTheBytesAfterTheHeader() {
        java.util.List<Object> seen = new java.util.ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(ProxyHeaderPhase.NAME, new ProxyHeaderPhase(Duration.ofSeconds(5)));
        channel.pipeline().addLast("tail", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object event) {
                seen.add(event instanceof dev.sluice.common.proxy.ProxyHeader ? ClientAddress.of(ctx.channel()) : event);
            }

            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                seen.add("bytes");
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        });
        channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 203.0.113.9 192.0.2.1 40000 443\r\nX", StandardCharsets.US_ASCII));
        assertEquals(java.util.List.of(new InetSocketAddress("203.0.113.9", 40000), "bytes"), seen);
        channel.finishAndReleaseAll();
    }
}
