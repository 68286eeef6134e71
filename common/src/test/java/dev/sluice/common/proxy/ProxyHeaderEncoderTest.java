package dev.sluice.common.proxy;

import static dev.sluice.common.proxy.ProxyTesting.buf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.common.proxy.ProxyVectors.Vector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The encoder writes the spec's bytes, round-trips through our parser, and agrees with Netty's codec. */
class ProxyHeaderEncoderTest {
    static final List<Vector> V1_CANONICAL = List.of(ProxyVectors.V1_TCP4, ProxyVectors.V1_TCP4_MAX, ProxyVectors.V1_TCP6_MAX,
            ProxyVectors.V1_TCP6_MAPPED, ProxyVectors.V1_UNKNOWN);
    static final List<Vector> V2_CANONICAL = List.of(ProxyVectors.V2_TCP4, ProxyVectors.V2_UDP6, ProxyVectors.V2_UNIX,
            ProxyVectors.V2_LOCAL, ProxyVectors.V2_UNSPEC);
    static final List<Vector> VALID = ProxyVectors.VALID;

    private static byte[] encode(Consumer<ByteBuf> encoder) {
        ByteBuf out = Unpooled.buffer();
        try {
            encoder.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static ProxyHeader parse(byte[] bytes) {
        ByteBuf in = buf(bytes);
        try {
            ProxyHeader header = ProxyHeaderParser.parse(in, ProxyHeaderParser.V2_MAX_BYTES);
            assertFalse(in.isReadable(), "the parser consumed exactly the header");
            return header;
        } finally {
            in.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("V1_CANONICAL")
    void v1WritesTheSpecLine(Vector vector) {
        assertArrayEquals(vector.bytes(), encode(out -> ProxyHeaderEncoder.encodeV1(vector.header(), out)));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("V2_CANONICAL")
    void v2WritesTheSpecBytes(Vector vector) {
        assertArrayEquals(vector.bytes(), encode(out -> ProxyHeaderEncoder.encodeV2(vector.header(), out, false)));
    }

    @Test
    void v2WithCrcWritesTheChecksumOfTheWholeHeader() {
        Vector vector = ProxyVectors.V2_CRC;
        assertArrayEquals(vector.bytes(), encode(out -> ProxyHeaderEncoder.encodeV2(vector.header(), out, true)));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VALID")
    void v2RoundTripsWithAndWithoutCrc(Vector vector) {
        for (boolean crc : new boolean[] {false, true}) {
            byte[] bytes = encode(out -> ProxyHeaderEncoder.encodeV2(vector.header(), out, crc));
            assertEquals(ProxyHeaderEncoder.v2Length(vector.header(), crc), bytes.length, "v2Length is exact");
            assertEquals(vector.header(), parse(bytes));
        }
    }

    @Test
    void v1WritesUnknownForWhatItCannotCarry() {
        byte[] unknown = ProxyVectors.V1_UNKNOWN.bytes();
        assertArrayEquals(unknown, encode(out -> ProxyHeaderEncoder.encodeV1(ProxyHeader.local(), out)));
        assertArrayEquals(unknown, encode(out -> ProxyHeaderEncoder.encodeV1(ProxyVectors.V2_UNIX.header(), out)));
        assertArrayEquals(unknown, encode(out -> ProxyHeaderEncoder.encodeV1(ProxyVectors.V2_UDP6.header(), out)));
    }

    @Test
    void handlerWritesTheHeaderItWasBuiltFor() {
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyHeaderEncoder(2, true));
        channel.writeOutbound(ProxyVectors.V2_CRC.header());
        ByteBuf out = channel.readOutbound();
        try {
            assertArrayEquals(ProxyVectors.V2_CRC.bytes(), ByteBufUtil.getBytes(out));
            assertEquals(out.writerIndex(), out.capacity(), "the buffer was sized exactly");
        } finally {
            out.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void handlerRefusesCrcForV1() {
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeaderEncoder(1, true));
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeaderEncoder(3, false));
    }

    @Test
    void oversizedHeaderIsRefusedBeforeWriting() {
        ProxyHeader huge = ProxyHeader.proxy(ProxyVectors.inet("1.2.3.4", 1), ProxyVectors.inet("5.6.7.8", 2),
                List.of(Tlv.of(0xE0, new byte[0xFFFF])));
        ByteBuf out = Unpooled.buffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> ProxyHeaderEncoder.encodeV2(huge, out, false));
            assertEquals(0, out.writerIndex(), "nothing half-written");
        } finally {
            out.release();
        }
    }

    // ---- agreement with Netty's codec-haproxy ----

    @Test
    void nettysDecoderReadsOurV2WithTlvs() {
        ProxyHeader header = ProxyVectors.V2_TLVS.header();
        EmbeddedChannel channel = new EmbeddedChannel(new HAProxyMessageDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(encode(out -> ProxyHeaderEncoder.encodeV2(header, out, true))));
        HAProxyMessage message = channel.readInbound();
        try {
            assertEquals(HAProxyProtocolVersion.V2, message.protocolVersion());
            assertEquals(HAProxyCommand.PROXY, message.command());
            assertEquals(HAProxyProxiedProtocol.TCP4, message.proxiedProtocol());
            assertEquals("10.0.0.1", message.sourceAddress());
            assertEquals(50000, message.sourcePort());
            assertEquals("10.0.0.2", message.destinationAddress());
            assertEquals(443, message.destinationPort());
            HAProxyTLV alpn = message.tlvs().stream().filter(t -> t.type() == HAProxyTLV.Type.PP2_TYPE_ALPN).findFirst().orElseThrow();
            assertEquals("h2", alpn.content().toString(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(1, message.tlvs().stream().filter(t -> t.type() == HAProxyTLV.Type.PP2_TYPE_SSL).count());
        } finally {
            message.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void nettysDecoderReadsOurV1() {
        EmbeddedChannel channel = new EmbeddedChannel(new HAProxyMessageDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(encode(out -> ProxyHeaderEncoder.encodeV1(ProxyVectors.V1_TCP6_MAX.header(), out))));
        HAProxyMessage message = channel.readInbound();
        try {
            assertEquals(HAProxyProxiedProtocol.TCP6, message.proxiedProtocol());
            assertEquals(65535, message.sourcePort());
        } finally {
            message.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void ourDecoderReadsNettysEncoderOutput() {
        HAProxyMessage message = new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP6,
                "2001:db8::7", "::1", 4711, 8443,
                List.of(new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_AUTHORITY, Unpooled.copiedBuffer("sni.example", java.nio.charset.StandardCharsets.US_ASCII))));
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf bytes = encoder.readOutbound();
        ProxyHeader header;
        try {
            header = ProxyHeaderParser.parse(bytes, ProxyHeaderParser.V2_MAX_BYTES);
        } finally {
            bytes.release();
        }
        assertEquals(ProxyVectors.inet6("2001:db8::7", 4711), header.source());
        assertEquals(ProxyVectors.inet6("::1", 8443), header.destination());
        assertEquals("sni.example", header.authority().orElseThrow());
        assertFalse(encoder.finish());
    }

    @Test
    void dualStackPairBecomesIpv4MappedIpv6() {
        ProxyHeader header = ProxyHeader.proxy(new InetSocketAddress(ProxyVectors.inet("10.1.2.3", 1).getAddress(), 1),
                ProxyVectors.inet6("2001:db8::1", 80), List.of());
        assertEquals(ProxyHeader.Family.INET6, header.family());
        assertEquals(ProxyVectors.inet6("::ffff:10.1.2.3", 1), header.source());
    }
}
