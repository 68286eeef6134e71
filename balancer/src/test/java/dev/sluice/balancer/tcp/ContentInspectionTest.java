package dev.sluice.balancer.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.StickTables;
import dev.sluice.balancer.stick.TcpRule;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The inspection phase on an EmbeddedChannel: waiting for data, expiry, reject, a full buffer. */
class ContentInspectionTest {
    private static final Duration DELAY = Duration.ofSeconds(5);
    private static final SampleExpression SNI = new AclCompiler(Path.of("."), ProxyCatalog.ANY)
            .sampleExpression("req.ssl_sni", "fe");

    private final List<ByteBuf> relayed = new ArrayList<>();
    private int rejected;
    private boolean routed;
    private String sniAtRouting;

    @AfterEach
    void release() {
        relayed.forEach(ByteBuf::release);
    }

    private static byte[] hello() {
        try (InputStream in = ContentInspectionTest.class.getResourceAsStream("/clienthello/openssl-sni-a.hex")) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<TcpRule> rules(String... lines) {
        AclScope scope = new AclCompiler(Path.of("."), ProxyCatalog.ANY).scope("fe");
        List<TcpRule> rules = new ArrayList<>();
        for (String line : lines) {
            List<String> words = Arrays.asList(line.split(" "));
            TcpRule.Action action = TcpRule.Action.valueOf(words.getFirst().toUpperCase(java.util.Locale.ROOT));
            rules.add(new TcpRule(TcpRule.Phase.CONTENT, action, -1, null, null,
                    scope.condition(words.subList(1, words.size())), "test:" + (rules.size() + 1)));
        }
        return rules;
    }

    private EmbeddedChannel channel(List<TcpRule> rules, Duration delay, int bufsize) {
        EmbeddedChannel channel = new EmbeddedChannel();
        // Only advanceTimeBy moves the clock: a slow machine must not expire the delay early.
        channel.freezeTime();
        ConnectionFacts facts = new ConnectionFacts(channel, null);
        channel.pipeline().addLast(ContentInspection.NAME, new ContentInspection(rules, delay, bufsize,
                StickTables.NONE, facts, ctx -> {
                    routed = true;
                    sniAtRouting = SNI.evaluateString(facts);
                    ctx.pipeline().addAfter(ctx.name(), "next", new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext c, Object msg) {
                            relayed.add((ByteBuf) msg);
                        }
                    });
                }, () -> rejected++));
        return channel;
    }

    private byte[] relayedBytes() {
        ByteBuf all = Unpooled.buffer();
        relayed.forEach(b -> all.writeBytes(b, b.readerIndex(), b.readableBytes()));
        byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        return bytes;
    }

    @Test
    void waitsForTheWholeHelloThenRoutesOnItsServerName() {
        byte[] hello = hello();
        EmbeddedChannel ch = channel(rules("accept if { req_ssl_hello_type 1 }"), DELAY, 16384);
        ch.writeInbound(Unpooled.wrappedBuffer(hello, 0, 100));
        assertFalse(routed, "a partial record is 'not yet'");
        assertTrue(ch.pipeline().names().contains(ContentInspection.NAME));
        ch.writeInbound(Unpooled.wrappedBuffer(hello, 100, hello.length - 100));
        assertTrue(routed);
        assertEquals("a.example", sniAtRouting, "use_backend sees the payload");
        assertArrayEquals(hello, relayedBytes(), "every held byte goes on, in order");
        assertNull(ch.pipeline().get(ContentInspection.NAME), "the phase left the pipeline");
        assertTrue(ch.isActive());
        assertFalse(ch.finish());
    }

    @Test
    void bytesAfterTheDecisionPassStraightThrough() {
        byte[] hello = hello();
        EmbeddedChannel ch = channel(rules("accept if { req_ssl_hello_type 1 }"), DELAY, 16384);
        ch.writeInbound(Unpooled.wrappedBuffer(hello));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        assertEquals(2, relayed.size());
        assertEquals(3, relayed.get(1).readableBytes());
        assertFalse(ch.finish());
    }

    @Test
    void silentClientIsEvaluatedWhenTheDelayExpires() {
        EmbeddedChannel ch = channel(rules("accept if { req_ssl_hello_type 1 }"), DELAY, 16384);
        ch.advanceTimeBy(DELAY.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(routed);
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        // Undetermined fetches fail at expiry; no rule decides, so the connection is accepted.
        assertTrue(routed);
        assertNull(sniAtRouting);
        assertTrue(relayed.isEmpty());
        assertTrue(ch.isActive());
        assertFalse(ch.finish());
    }

    @Test
    void waitEndRejectsAtExpiry() {
        EmbeddedChannel ch = channel(rules("accept if HTTP", "reject if WAIT_END"), DELAY, 16384);
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTT", StandardCharsets.US_ASCII));
        assertTrue(ch.isActive());
        ch.advanceTimeBy(DELAY.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(routed);
        assertEquals(1, rejected);
        assertFalse(ch.isActive());
    }

    @Test
    void sniffedHttpIsAcceptedAsSoonAsItsHeadIsComplete() {
        EmbeddedChannel ch = channel(rules("accept if HTTP", "reject if WAIT_END"), DELAY, 16384);
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));
        assertFalse(routed);
        ch.writeInbound(Unpooled.copiedBuffer("Host: x\r\n\r\n", StandardCharsets.US_ASCII));
        assertTrue(routed);
        assertEquals("GET / HTTP/1.1\r\nHost: x\r\n\r\n", new String(relayedBytes(), StandardCharsets.US_ASCII));
        assertFalse(ch.finish());
    }

    @Test
    void rejectClosesWithoutAByte() {
        EmbeddedChannel ch = channel(rules("reject if { req.payload(0,3) -m bin 474554 }"), DELAY, 16384);
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.0\r\n\r\n", StandardCharsets.US_ASCII));
        assertEquals(1, rejected);
        assertFalse(routed);
        assertFalse(ch.isActive());
        assertNull(ch.readOutbound());
    }

    @Test
    void aFullBufferMakesTheEvaluationFinal() {
        byte[] line = new byte[80];
        Arrays.fill(line, (byte) 'a');
        System.arraycopy("GET /".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 5);
        EmbeddedChannel ch = channel(rules("reject if HTTP", "accept if { req.len ge 64 }"), DELAY, 64);
        ch.writeInbound(Unpooled.wrappedBuffer(line, 0, 40));
        assertFalse(routed);
        ch.writeInbound(Unpooled.wrappedBuffer(line, 40, 40));
        // The rules saw 64 bytes and no complete head; all 80 go on.
        assertTrue(routed);
        assertEquals(0, rejected);
        assertArrayEquals(line, relayedBytes());
        assertFalse(ch.finish());
    }

    @Test
    void zeroDelayDecidesAtOnceOnWhatIsThere() {
        EmbeddedChannel ch = channel(rules("reject if { req.len gt 0 }"), Duration.ZERO, 16384);
        assertTrue(routed);
        assertEquals(0, rejected);
        assertFalse(ch.finish());
    }

    @Test
    void aClientThatLeavesReleasesWhatWasHeld() {
        EmbeddedChannel ch = channel(rules("accept if { req_ssl_hello_type 1 }"), DELAY, 16384);
        ch.writeInbound(Unpooled.wrappedBuffer(hello(), 0, 50));
        ch.close();
        assertFalse(routed);
        ch.advanceTimeBy(DELAY.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(routed);
    }
}
