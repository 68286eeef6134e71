package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.peers.PeerProtocolException;
import dev.sluice.balancer.peers.VarInt;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a table and its entries travel in HAProxy's peers protocol: the table definition (name, key
 * type and size, the stored data as a bitfield of HAProxy's data type numbers, expiry, the period of
 * every rate) and the key and values of an update. Values follow the definition's bitfield in
 * number order: a counter as one integer, a rate as three (milliseconds since its period started,
 * current count, previous count), HAProxy's {@code server_key} as a length and bytes, its arrays
 * ({@code gpt}, {@code gpc}, {@code gpc_rate}) element by element. Sluice stores every single type;
 * the others are read and skipped.
 */
public final class PeerWire {

    /** HAProxy's number of each data type; the index is the number. Null: not a Sluice data type. */
    private static final StickData[] BY_NUMBER = {
        StickData.SERVER_ID, StickData.GPT0, StickData.GPC0, StickData.GPC0_RATE, StickData.CONN_CNT,
        StickData.CONN_RATE, StickData.CONN_CUR, StickData.SESS_CNT, StickData.SESS_RATE, StickData.HTTP_REQ_CNT,
        StickData.HTTP_REQ_RATE, StickData.HTTP_ERR_CNT, StickData.HTTP_ERR_RATE, StickData.BYTES_IN_CNT,
        StickData.BYTES_IN_RATE, StickData.BYTES_OUT_CNT, StickData.BYTES_OUT_RATE, StickData.GPC1,
        StickData.GPC1_RATE, null, StickData.HTTP_FAIL_CNT, StickData.HTTP_FAIL_RATE,
    };
    /** {@code server_key}: a dictionary entry (a length, then a cache id and maybe the name). */
    static final int SERVER_KEY = 19;
    /** {@code gpt}, {@code gpc}, {@code gpc_rate}: arrays whose size the definition gives. */
    static final int GPT_ARRAY = 22;
    static final int GPC_ARRAY = 23;
    static final int GPC_RATE_ARRAY = 24;
    /** The highest data type number of HAProxy 2.6. */
    static final int LAST_NUMBER = GPC_RATE_ARRAY;

    /** HAProxy's numbers for key types on the wire. */
    static final int NET_INTEGER = 2;
    static final int NET_IPV4 = 4;
    static final int NET_IPV6 = 5;
    static final int NET_STRING = 6;

    private PeerWire() {
    }

    /** HAProxy's number of {@code data}. */
    static int number(StickData data) {
        for (int i = 0; i < BY_NUMBER.length; i++) {
            if (BY_NUMBER[i] == data) {
                return i;
            }
        }
        throw new IllegalArgumentException(data.keyword());
    }

    /**
     * A table as a peer defined it: the numbers its updates carry, and what is needed to read them.
     *
     * @param arrays the element count of each array data type it stores
     */
    public record Definition(int id, String name, int keyType, int keySize, long dataBits, long expireMs,
                             Map<Integer, Integer> arrays) {
        public Definition {
            arrays = Map.copyOf(arrays);
        }

        /** Whether the peer's keys are those of {@code table}; HAProxy ignores a table that differs. */
        public boolean matches(StickTable table) {
            return name.equals(table.name()) && keyType == netType(table.spec()) && keySize == PeerWire.keySize(table.spec());
        }
    }

    static int netType(TableSpec spec) {
        return switch (spec.type()) {
            case IP -> NET_IPV4;
            case IPV6 -> NET_IPV6;
            case INTEGER -> NET_INTEGER;
            case STRING -> NET_STRING;
        };
    }

    /** HAProxy's key size: a string keeps room for its terminating zero. */
    static int keySize(TableSpec spec) {
        return switch (spec.type()) {
            case IP, INTEGER -> 4;
            case IPV6 -> 16;
            case STRING -> spec.keyLength() + 1;
        };
    }

    /** Writes the body of a table definition message for {@code table}, known to peers as {@code id}. */
    public static void writeDefinition(ByteBuf out, int id, StickTable table) {
        TableSpec spec = table.spec();
        byte[] name = spec.name().getBytes(StandardCharsets.UTF_8);
        VarInt.write(out, id);
        VarInt.write(out, name.length);
        out.writeBytes(name);
        VarInt.write(out, netType(spec));
        VarInt.write(out, keySize(spec));
        long bits = 0;
        TreeMap<Integer, Long> periods = new TreeMap<>();
        for (Map.Entry<StickData, Long> e : spec.store().entrySet()) {
            int number = number(e.getKey());
            bits |= 1L << number;
            if (e.getKey().rate()) {
                periods.put(number, e.getValue());
            }
        }
        VarInt.write(out, bits);
        VarInt.write(out, spec.expire().toMillis());
        periods.forEach((number, period) -> {
            VarInt.write(out, number);
            VarInt.write(out, period);
        });
    }

    /** Reads the body of a table definition message. */
    public static Definition readDefinition(ByteBuf in) {
        int id = (int) VarInt.read(in);
        int nameLength = (int) VarInt.read(in);
        if (nameLength < 0 || nameLength > in.readableBytes()) {
            throw new PeerProtocolException("table name longer than its message");
        }
        String name = in.readCharSequence(nameLength, StandardCharsets.UTF_8).toString();
        int keyType = (int) VarInt.read(in);
        int keySize = (int) VarInt.read(in);
        long bits = VarInt.read(in);
        if ((bits >>> (LAST_NUMBER + 1)) != 0) {
            throw new PeerProtocolException("table " + name + ": unknown data type in " + Long.toBinaryString(bits));
        }
        long expire = in.isReadable() ? VarInt.read(in) : 0;
        Map<Integer, Integer> arrays = new TreeMap<>();
        while (in.isReadable()) {
            int number = (int) VarInt.read(in);
            if (number == GPT_ARRAY || number == GPC_ARRAY || number == GPC_RATE_ARRAY) {
                arrays.put(number, (int) VarInt.read(in));
                if (number == GPC_RATE_ARRAY) {
                    VarInt.read(in); // its period: rates are only carried over, not read, here
                }
            } else {
                VarInt.read(in); // a rate's period
            }
        }
        for (int number : new int[] {GPT_ARRAY, GPC_ARRAY, GPC_RATE_ARRAY}) {
            if ((bits & (1L << number)) != 0 && !arrays.containsKey(number)) {
                throw new PeerProtocolException("table " + name + ": array data type " + number + " without a size");
            }
        }
        return new Definition(id, name, keyType, keySize, bits, expire, arrays);
    }

    /** Writes {@code entry}'s key and every value its table stores, in HAProxy's order. */
    public static void writeEntry(ByteBuf out, StickEntry entry, long[] scratch) {
        writeKey(out, entry.table().spec(), entry.key());
        for (int number = 0; number < BY_NUMBER.length; number++) {
            StickData data = BY_NUMBER[number];
            if (data == null || !entry.table().spec().stores(data)) {
                continue;
            }
            if (data.rate()) {
                entry.rateState(data, scratch);
                VarInt.write(out, scratch[0] & 0xffff_ffffL);
                VarInt.write(out, scratch[1]);
                VarInt.write(out, scratch[2]);
            } else {
                VarInt.write(out, entry.get(data));
            }
        }
    }

    private static void writeKey(ByteBuf out, TableSpec spec, Object key) {
        switch (spec.type()) {
            case IP -> out.writeInt(((IpAddress) key).v4Bits());
            case IPV6 -> {
                IpAddress address = (IpAddress) key;
                out.writeLong(address.hi());
                out.writeLong(address.lo());
            }
            case INTEGER -> out.writeInt((int) (long) (Long) key);
            case STRING -> {
                byte[] bytes = ((String) key).getBytes(StandardCharsets.UTF_8);
                VarInt.write(out, bytes.length);
                out.writeBytes(bytes);
            }
        }
    }

    private static Object readKey(ByteBuf in, StickTable table) {
        TableSpec spec = table.spec();
        return switch (spec.type()) {
            case IP -> IpAddress.ofV4(readInt(in, 4));
            case IPV6 -> {
                need(in, 16);
                yield IpAddress.ofV6(in.readLong(), in.readLong());
            }
            case INTEGER -> (long) readInt(in, 4);
            case STRING -> {
                long length = VarInt.read(in);
                if (length > spec.keyLength() || length > in.readableBytes()) {
                    throw new PeerProtocolException("table " + spec.name() + ": key of " + length + " bytes");
                }
                yield in.readCharSequence((int) length, StandardCharsets.UTF_8).toString();
            }
        };
    }

    private static int readInt(ByteBuf in, int size) {
        need(in, size);
        return in.readInt();
    }

    private static void need(ByteBuf in, int bytes) {
        if (in.readableBytes() < bytes) {
            throw new PeerProtocolException("truncated update");
        }
    }

    /**
     * Applies an update's key and values, as {@code definition} describes them, to {@code table}:
     * the entry is created if needed (none when the table is full and cannot purge), values the
     * table stores are set, the others skipped. {@code expireMs} is the time left the peer gives
     * (timed updates), or -1 for the table's own expiry from now. Returns false when no entry could
     * be made (the update is read anyway).
     */
    public static boolean applyUpdate(ByteBuf in, Definition definition, StickTable table, long expireMs) {
        Object key = readKey(in, table);
        StickEntry entry = table.lookupOrCreate(key);
        for (int number = 0; number <= LAST_NUMBER; number++) {
            if ((definition.dataBits() & (1L << number)) == 0) {
                continue;
            }
            StickData data = number < BY_NUMBER.length ? BY_NUMBER[number] : null;
            if (number == SERVER_KEY) {
                long length = VarInt.read(in);
                need(in, (int) Math.min(length, Integer.MAX_VALUE));
                in.skipBytes((int) length);
            } else if (number == GPT_ARRAY || number == GPC_ARRAY) {
                for (int i = definition.arrays().get(number); i > 0; i--) {
                    VarInt.read(in);
                }
            } else if (number == GPC_RATE_ARRAY) {
                for (int i = 3 * definition.arrays().get(number); i > 0; i--) {
                    VarInt.read(in);
                }
            } else if (data.rate()) {
                long elapsed = VarInt.read(in);
                long current = VarInt.read(in);
                long previous = VarInt.read(in);
                if (entry != null) {
                    entry.setRateFromPeer(data, elapsed, current, previous);
                }
            } else {
                long value = VarInt.read(in);
                if (entry != null) {
                    // server_id is a signed int in HAProxy: a negative one travels sign-extended.
                    entry.setFromPeer(data, data == StickData.SERVER_ID ? (int) value : value);
                }
            }
        }
        if (entry == null) {
            return false;
        }
        long expire = table.spec().expire().toMillis();
        long now = table.now();
        entry.touchedAt(expireMs >= 0 && expire > 0 ? now - Math.max(0, expire - expireMs) : now);
        return true;
    }
}
