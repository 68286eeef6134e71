package dev.sluice.balancer.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The peers protocol's integers, against bytes HAProxy 2.6 sent (captured on its peer socket). */
class VarIntTest {

    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "239, ef",
        "240, f000",
        "2287, ff7f",
        "2288, f08000",
        // A table's expire (30s) and a rate's period (10s) as haproxy 2.6 defines them.
        "30000, f0c40d",
        "10000, f0e203",
        // Its data type bitfield for server_id,gpc0,conn_cnt,http_req_cnt,http_req_rate,server_key.
        "525845, f5d2ff00",
    })
    void encodesAsHaproxy(long value, String hex) {
        ByteBuf out = Unpooled.buffer();
        VarInt.write(out, value);
        assertEquals(hex, ByteBufUtil.hexDump(out));
        assertEquals(hex.length() / 2, VarInt.peekLength(out, 0));
        assertEquals(value, VarInt.read(out));
        assertEquals(0, out.readableBytes());
        out.release();
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 32, (1L << 32) - 1, Long.MAX_VALUE, -1L, 0xffff_ffffL, 123_456_789_012L})
    void largeValuesRoundTrip(long value) {
        ByteBuf out = Unpooled.buffer();
        VarInt.write(out, value);
        assertEquals(value, VarInt.read(out));
        out.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "f0", "f08080"})
    void truncatedValuesAreRefused(String hex) {
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        assertEquals(-1, VarInt.peekLength(in, 0));
        assertThrows(PeerProtocolException.class, () -> VarInt.read(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {"f0808080808080808080", "ff8080808080808080808000"})
    void overlongValuesAreRefused(String hex) {
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        assertThrows(PeerProtocolException.class, () -> VarInt.peekLength(in, 0));
        assertThrows(PeerProtocolException.class, () -> VarInt.read(in));
    }
}
