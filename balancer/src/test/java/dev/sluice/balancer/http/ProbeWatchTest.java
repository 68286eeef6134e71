package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** option http-ignore-probes: the connection is a probe until its first byte, then the watch leaves. */
class ProbeWatchTest {

    @Test
    void theFirstByteEndsTheProbeAndThePhaseHandlerLeaves() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(ProbeWatch.NAME, new ProbeWatch());
        assertTrue(ProbeWatch.silent(channel));
        channel.writeInbound(Unpooled.EMPTY_BUFFER);
        assertTrue(ProbeWatch.silent(channel), "an empty read is not a byte");
        channel.writeInbound(Unpooled.copiedBuffer("G", StandardCharsets.ISO_8859_1));
        assertFalse(ProbeWatch.silent(channel));
        assertEquals(null, channel.pipeline().get(ProbeWatch.NAME));
        ByteBuf passed = channel.readInbound();
        assertEquals(Unpooled.EMPTY_BUFFER, passed);
        ByteBuf first = channel.readInbound();
        assertEquals("G", first.toString(StandardCharsets.ISO_8859_1));
        first.release();
        assertFalse(channel.finish());
    }

    @Test
    void withoutTheOptionNoConnectionIsAProbe() {
        assertFalse(ProbeWatch.silent(new EmbeddedChannel()));
    }
}
