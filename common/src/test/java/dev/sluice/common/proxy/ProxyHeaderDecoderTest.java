package dev.sluice.common.proxy;

import static dev.sluice.common.proxy.ProxyTesting.ascii;
import static dev.sluice.common.proxy.ProxyTesting.buf;
import static dev.sluice.common.proxy.ProxyTesting.concat;
import static dev.sluice.common.proxy.ProxyTesting.drainInbound;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.common.proxy.ProxyTesting.Recorder;
import dev.sluice.common.proxy.ProxyVectors.Vector;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The decoder as a pipeline phase: acceptance, hand-over of the rest, buffering, deadline, trust. */
class ProxyHeaderDecoderTest {
    private static final byte[] PAYLOAD = ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    private static final InetSocketAddress PEER = ProxyVectors.inet("127.0.0.1", 40000);

    private final ProxyCounters counters = new ProxyCounters();
    private final Recorder recorder = new Recorder();

    private EmbeddedChannel channel(ProxyAcceptance acceptance) {
        return ProxyTesting.channel(PEER, new ProxyHeaderDecoder(acceptance, counters), recorder);
    }

    private EmbeddedChannel channel() {
        return channel(ProxyAcceptance.required());
    }

    static final List<Vector> VALID = ProxyVectors.VALID;

    @ParameterizedTest(name = "{0}")
    @FieldSource("VALID")
    void acceptsTheVectorStoresFiresAndLeavesThePipeline(Vector vector) {
        EmbeddedChannel channel = channel();
        channel.writeInbound(buf(concat(vector.bytes(), PAYLOAD)));

        assertEquals(vector.header(), channel.attr(ProxyHeader.ATTRIBUTE).get());
        assertEquals(List.of(vector.header(), "read"), recorder.events, "the header event precedes the rest");
        assertNull(channel.pipeline().get("proxy"), "the phase handler removed itself");
        assertTrue(channel.pipeline().first() == recorder, "the recorder is now first");
        assertArrayEquals(PAYLOAD, drainInbound(channel), "the bytes after the header pass untouched");
        assertEquals(1, counters.acceptedV1() + counters.acceptedV2());
        assertEquals(0, counters.refusals());
        assertFalse(channel.finish());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VALID")
    void headerAloneFiresNoRead(Vector vector) {
        EmbeddedChannel channel = channel();
        channel.writeInbound(buf(vector.bytes()));
        assertEquals(List.of(vector.header()), recorder.events);
        assertNull(channel.pipeline().get("proxy"));
        assertFalse(channel.finish());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VALID")
    void splitAtEveryByteBoundary(Vector vector) {
        byte[] all = concat(vector.bytes(), PAYLOAD);
        for (int split = 1; split < all.length; split++) {
            Recorder recorder = new Recorder();
            EmbeddedChannel channel = ProxyTesting.channel(PEER, new ProxyHeaderDecoder(ProxyAcceptance.required(), counters), recorder);
            channel.writeInbound(buf(Arrays.copyOfRange(all, 0, split)));
            if (split < vector.bytes().length) {
                assertTrue(recorder.events.isEmpty(), "nothing before the header is complete, split " + split);
                assertTrue(channel.isOpen(), "a partial header is not a refusal, split " + split);
            }
            channel.writeInbound(buf(Arrays.copyOfRange(all, split, all.length)));
            assertEquals(vector.header(), channel.attr(ProxyHeader.ATTRIBUTE).get(), "split " + split);
            assertArrayEquals(PAYLOAD, drainInbound(channel), "split " + split);
            assertFalse(channel.finish());
        }
        assertEquals(0, counters.refusals());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VALID")
    void oneByteAtATime(Vector vector) {
        EmbeddedChannel channel = channel();
        byte[] all = concat(vector.bytes(), PAYLOAD);
        for (byte b : all) {
            channel.writeInbound(buf(new byte[] {b}));
        }
        assertEquals(vector.header(), channel.attr(ProxyHeader.ATTRIBUTE).get());
        assertArrayEquals(PAYLOAD, drainInbound(channel));
        assertFalse(channel.finish());
    }

    @Test
    void passesTheRestAsTheSameBufferWithoutCopying() {
        EmbeddedChannel channel = channel();
        var in = buf(concat(ProxyVectors.V2_TCP4.bytes(), PAYLOAD));
        channel.writeInbound(in);
        var out = (io.netty.buffer.ByteBuf) channel.readInbound();
        try {
            assertTrue(out == in, "the read buffer itself, advanced past the header");
            assertEquals(ProxyVectors.V2_TCP4.bytes().length, out.readerIndex());
        } finally {
            out.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void deadlineRefusesAnIncompleteHeader() {
        EmbeddedChannel channel = channel(ProxyAcceptance.required().withDeadline(Duration.ofSeconds(3)));
        channel.freezeTime();
        channel.writeInbound(buf(ascii("PROXY TCP4 1.2.3.4")));
        channel.advanceTimeBy(2999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "still within the deadline");
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertEquals(1, counters.refusals(ProxyRefusal.TIMEOUT));
        assertEquals(List.of(ProxyRefusal.TIMEOUT), recorder.events);
        assertFalse(channel.finish());
    }

    @Test
    void deadlineAppliesToASilentPeer() {
        EmbeddedChannel channel = channel();
        channel.freezeTime();
        channel.advanceTimeBy(ProxyAcceptance.DEFAULT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertEquals(1, counters.refusals(ProxyRefusal.TIMEOUT));
    }

    @Test
    void deadlineIsCancelledOnceTheHeaderArrives() {
        EmbeddedChannel channel = channel();
        channel.freezeTime();
        channel.writeInbound(buf(ProxyVectors.V1_TCP4.bytes()));
        channel.advanceTimeBy(1, TimeUnit.HOURS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        assertEquals(0, counters.refusals());
        assertFalse(channel.finish());
    }

    @Test
    void closeInTheMiddleOfAHeaderCountsTruncated() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(buf(Arrays.copyOf(ProxyVectors.V2_TCP4.bytes(), 20)));
        channel.close();
        assertEquals(1, counters.refusals(ProxyRefusal.TRUNCATED));
        assertFalse(channel.finish());
    }

    @Test
    void halfCloseInTheMiddleOfAHeaderRefusesTruncated() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(buf(ascii("PROXY ")));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(channel.isOpen());
        assertEquals(1, counters.refusals(ProxyRefusal.TRUNCATED));
    }

    @Test
    void closeBeforeAnyByteIsNotARefusal() {
        EmbeddedChannel channel = channel();
        channel.close();
        assertEquals(0, counters.refusals());
    }

    @Test
    void untrustedPeerIsRefusedBeforeReadingWhenHeadersAreRequired() {
        EmbeddedChannel channel = channel(ProxyAcceptance.requiredFrom(List.of(Cidr.parse("10.0.0.0/8"))));
        assertFalse(channel.isOpen());
        assertEquals(1, counters.refusals(ProxyRefusal.UNTRUSTED_SOURCE));
    }

    @Test
    void trustedPeerInTheListIsAccepted() {
        EmbeddedChannel channel = channel(ProxyAcceptance.requiredFrom(List.of(Cidr.parse("127.0.0.0/8"))));
        channel.writeInbound(buf(ProxyVectors.V1_TCP4.bytes()));
        assertEquals(ProxyVectors.V1_TCP4.header(), channel.attr(ProxyHeader.ATTRIBUTE).get());
        assertFalse(channel.finish());
    }

    @Test
    void untrustedPeerWithoutHeaderPassesAsPlainInExpectMode() {
        EmbeddedChannel channel = channel(ProxyAcceptance.expectedFrom(List.of(Cidr.parse("10.0.0.0/8"))));
        channel.writeInbound(buf(PAYLOAD));
        assertNull(channel.attr(ProxyHeader.ATTRIBUTE).get());
        assertNull(channel.pipeline().get("proxy"));
        assertArrayEquals(PAYLOAD, drainInbound(channel));
        assertEquals(1, counters.passedWithoutHeader());
        assertFalse(channel.finish());
    }

    @Test
    void untrustedPeerStartingLikeAHeaderWaitsForTheDecidingByte() {
        EmbeddedChannel channel = channel(ProxyAcceptance.expectedFrom(List.of(Cidr.parse("10.0.0.0/8"))));
        channel.writeInbound(buf(ascii("P")));
        assertTrue(recorder.events.isEmpty());
        channel.writeInbound(buf(ascii("OST / HTTP/1.1\r\n\r\n")));
        assertArrayEquals(ascii("POST / HTTP/1.1\r\n\r\n"), drainInbound(channel));
        assertFalse(channel.finish());
    }

    @Test
    void untrustedPeerSendingAHeaderIsRefusedInExpectMode() {
        EmbeddedChannel channel = channel(ProxyAcceptance.expectedFrom(List.of(Cidr.parse("10.0.0.0/8"))));
        channel.writeInbound(buf(concat(ProxyVectors.V2_TCP4.bytes(), PAYLOAD)));
        assertFalse(channel.isOpen());
        assertNull(channel.attr(ProxyHeader.ATTRIBUTE).get());
        assertEquals(1, counters.refusals(ProxyRefusal.UNTRUSTED_SOURCE));
        assertArrayEquals(new byte[0], drainInbound(channel));
    }

    @Test
    void trustedPeerMustSendAHeaderInExpectMode() {
        EmbeddedChannel channel = channel(ProxyAcceptance.expectedFrom(List.of(Cidr.parse("127.0.0.1"))));
        channel.writeInbound(buf(PAYLOAD));
        assertFalse(channel.isOpen());
        assertEquals(1, counters.refusals(ProxyRefusal.NOT_PROXY));
    }

    @Test
    void requestsReadsItselfWhenAutoReadIsOff() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAutoRead(false);
        int[] reads = {0};
        channel.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void read(io.netty.channel.ChannelHandlerContext ctx) {
                reads[0]++;
                ctx.read();
            }
        });
        channel.pipeline().addLast(new ProxyHeaderDecoder(ProxyAcceptance.required(), counters));
        channel.writeInbound(buf(ascii("PROXY TCP4 ")));  // writeInbound ends with channelReadComplete
        assertEquals(1, reads[0], "asked for the rest of the header");
        channel.writeInbound(buf(ascii("1.2.3.4 5.6.7.8 1 2\r\n")));
        assertEquals(1, reads[0], "after the header, reading is the next handler's decision");
        assertFalse(channel.finish());
    }
}
