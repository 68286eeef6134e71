package dev.sluice.balancer.stick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.peers.PeerProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Tables and entries in the peers protocol, read from the bytes haproxy 2.6 sent for
 * {@code stick-table type ip size 1k expire 30s store server_id,gpc0,conn_cnt,http_req_cnt,
 * http_req_rate(10s)} with {@code stick on src} (which adds {@code server_key}), and written back.
 */
class PeerWireTest {

    /** haproxy's definition of table "t" (id 1), message header stripped. */
    private static final String HAPROXY_DEFINITION = "01017404" + "04" + "f5d2ff00" + "f0c40d" + "0af0e203";
    /** Its update 4 of key 127.0.0.1: server_id 1, gpc0 0, conn_cnt 1, http_req_cnt 1, rate, server_key "s1". */
    private static final String HAPROXY_UPDATE = "00000004" + "7f000001" + "01" + "00" + "01" + "01" + "040100"
            + "0401027331";
    /** Its definition of "ts": type string len 10 (key size 11), store gpc0, expire 30s; and update 1: "abc" gpc0 7. */
    private static final String HAPROXY_STRING_DEFINITION = "02027473060b04f0c40d";
    private static final String HAPROXY_STRING_UPDATE = "0361626307";

    private final AtomicLong now = new AtomicLong(TableClock.START_MS + 1_000_000);

    private StickTable ipTable() {
        Map<StickData, Long> store = new EnumMap<>(StickData.class);
        store.put(StickData.SERVER_ID, 0L);
        store.put(StickData.GPC0, 0L);
        store.put(StickData.CONN_CNT, 0L);
        store.put(StickData.HTTP_REQ_CNT, 0L);
        store.put(StickData.HTTP_REQ_RATE, 10_000L);
        return new StickTable(new TableSpec("t", KeyType.IP, 0, 1024, Duration.ofSeconds(30), false, store)
                .withPeers("mesh"), now::get);
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    @Test
    void readsHaproxysDefinition() {
        PeerWire.Definition definition = PeerWire.readDefinition(hex(HAPROXY_DEFINITION));
        assertEquals(1, definition.id());
        assertEquals("t", definition.name());
        assertEquals(525845L, definition.dataBits());
        assertEquals(30_000L, definition.expireMs());
        assertTrue(definition.matches(ipTable()));
    }

    @Test
    void appliesHaproxysUpdateAndSkipsItsServerKey() {
        StickTable table = ipTable();
        PeerWire.Definition definition = PeerWire.readDefinition(hex(HAPROXY_DEFINITION));
        ByteBuf update = hex(HAPROXY_UPDATE);
        update.skipBytes(4); // the update id, read by the session
        assertTrue(PeerWire.applyUpdate(update, definition, table, -1));
        assertEquals(0, update.readableBytes());
        StickEntry entry = table.lookup(IpAddress.parse("127.0.0.1"));
        assertEquals(1, entry.get(StickData.SERVER_ID));
        assertEquals(0, entry.get(StickData.GPC0));
        assertEquals(1, entry.get(StickData.CONN_CNT));
        assertEquals(1, entry.get(StickData.HTTP_REQ_CNT));
        assertEquals(1, entry.get(StickData.HTTP_REQ_RATE));
        assertEquals(30_000L, table.expiresInMillis(entry));
    }

    @Test
    void aTimedUpdateKeepsThePeersRemainingLifetime() {
        StickTable table = ipTable();
        PeerWire.Definition definition = PeerWire.readDefinition(hex(HAPROXY_DEFINITION));
        ByteBuf update = hex(HAPROXY_UPDATE);
        update.skipBytes(4);
        PeerWire.applyUpdate(update, definition, table, 12_000);
        assertEquals(12_000L, table.expiresInMillis(table.lookup(IpAddress.parse("127.0.0.1"))));
    }

    @Test
    void stringTablesMatchHaproxysKeySize() {
        Map<StickData, Long> store = new EnumMap<>(StickData.class);
        store.put(StickData.GPC0, 0L);
        StickTable table = new StickTable(new TableSpec("ts", KeyType.STRING, 10, 100, Duration.ofSeconds(30), false,
                store), now::get);
        PeerWire.Definition definition = PeerWire.readDefinition(hex(HAPROXY_STRING_DEFINITION));
        assertTrue(definition.matches(table));
        assertTrue(PeerWire.applyUpdate(hex(HAPROXY_STRING_UPDATE), definition, table, -1));
        assertEquals(7, table.lookup("abc").get(StickData.GPC0));
        // Written back, the definition is byte for byte haproxy's.
        ByteBuf out = Unpooled.buffer();
        PeerWire.writeDefinition(out, 2, table);
        assertEquals(HAPROXY_STRING_DEFINITION, ByteBufUtil.hexDump(out));
        out.clear();
        PeerWire.writeEntry(out, table.lookup("abc"), new long[3]);
        assertEquals(HAPROXY_STRING_UPDATE, ByteBufUtil.hexDump(out));
    }

    @Test
    void entriesRoundTripWithTheirRates() {
        StickTable from = ipTable();
        StickEntry entry = from.lookupOrCreate(IpAddress.parse("192.0.2.7"));
        entry.set(StickData.SERVER_ID, 2);
        entry.increment(StickData.GPC0);
        for (int i = 0; i < 5; i++) {
            entry.add(StickData.HTTP_REQ_RATE, 1);
            entry.add(StickData.HTTP_REQ_CNT, 1);
        }
        now.addAndGet(3_000);
        ByteBuf definition = Unpooled.buffer();
        PeerWire.writeDefinition(definition, 1, from);
        ByteBuf update = Unpooled.buffer();
        PeerWire.writeEntry(update, entry, new long[3]);
        StickTable to = ipTable();
        PeerWire.applyUpdate(update, PeerWire.readDefinition(definition), to, -1);
        StickEntry copy = to.lookup(IpAddress.parse("192.0.2.7"));
        for (StickData data : from.spec().store().keySet()) {
            assertEquals(entry.get(data), copy.get(data), data.keyword());
        }
        assertEquals(5, copy.get(StickData.HTTP_REQ_RATE));
        now.addAndGet(10_000);
        assertEquals(entry.get(StickData.HTTP_REQ_RATE), copy.get(StickData.HTTP_REQ_RATE));
    }

    @Test
    void aTableWithOtherKeysDoesNotMatch() {
        PeerWire.Definition definition = PeerWire.readDefinition(hex(HAPROXY_STRING_DEFINITION));
        assertFalse(definition.matches(ipTable()));
        Map<StickData, Long> store = Map.of(StickData.GPC0, 0L);
        StickTable longer = new StickTable(new TableSpec("ts", KeyType.STRING, 32, 100, Duration.ZERO, false, store),
                now::get);
        assertFalse(definition.matches(longer));
    }

    @Test
    void malformedMessagesAreProtocolErrors() {
        PeerWire.Definition definition = PeerWire.readDefinition(hex(HAPROXY_DEFINITION));
        assertThrows(PeerProtocolException.class, () -> PeerWire.applyUpdate(hex("7f0000"), definition, ipTable(), -1));
        assertThrows(PeerProtocolException.class,
                () -> PeerWire.applyUpdate(hex("7f000001010001"), definition, ipTable(), -1));
        // A string key longer than the table's.
        PeerWire.Definition strings = PeerWire.readDefinition(hex(HAPROXY_STRING_DEFINITION));
        Map<StickData, Long> store = Map.of(StickData.GPC0, 0L);
        StickTable table = new StickTable(new TableSpec("ts", KeyType.STRING, 10, 100, Duration.ZERO, false, store),
                now::get);
        assertThrows(PeerProtocolException.class,
                () -> PeerWire.applyUpdate(hex("0b" + "61".repeat(11) + "07"), strings, table, -1));
        // A data type number HAProxy 2.6 does not have.
        assertThrows(PeerProtocolException.class, () -> PeerWire.readDefinition(hex("0101740404" + "f0f1fe7e" + "00")));
        // A name longer than the message.
        assertThrows(PeerProtocolException.class, () -> PeerWire.readDefinition(hex("0109")));
        assertNull(table.lookup("aaaaaaaaaa"));
    }

    @Test
    void aReloadCarriesEntriesOver() {
        StickTable old = ipTable();
        StickEntry entry = old.lookupOrCreate(IpAddress.parse("192.0.2.9"));
        entry.set(StickData.SERVER_ID, 3);
        entry.add(StickData.HTTP_REQ_RATE, 4);
        now.addAndGet(1_000);
        StickTable next = ipTable();
        next.carryOver(old);
        StickEntry copy = next.lookup(IpAddress.parse("192.0.2.9"));
        assertEquals(3, copy.get(StickData.SERVER_ID));
        assertEquals(4, copy.get(StickData.HTTP_REQ_RATE));
        assertEquals(29_000L, next.expiresInMillis(copy));
    }
}
