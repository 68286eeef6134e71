package dev.sluice.balancer.peers;

import io.netty.buffer.ByteBuf;

/**
 * The peers protocol's variable-length unsigned integer: below 240 one byte; above, the first byte
 * carries the low 4 bits ORed with 240, then 7 bits per byte, the high bit saying "more follows"
 * (documented in HAProxy's {@code peers-v2.0.txt}). A 64-bit value takes at most 10 bytes.
 */
public final class VarInt {

    /** Values below this take one byte. */
    static final int ONE_BYTE_LIMIT = 240;
    /** The longest encoding of a 64-bit value. */
    public static final int MAX_BYTES = 10;

    private VarInt() {
    }

    /** Writes {@code value}, read as unsigned. */
    public static void write(ByteBuf out, long value) {
        if (Long.compareUnsigned(value, ONE_BYTE_LIMIT) < 0) {
            out.writeByte((int) value);
            return;
        }
        out.writeByte((int) (value | ONE_BYTE_LIMIT) & 0xff);
        long rest = (value - ONE_BYTE_LIMIT) >>> 4;
        while (Long.compareUnsigned(rest, 128) >= 0) {
            out.writeByte((int) (rest | 128) & 0xff);
            rest = (rest - 128) >>> 7;
        }
        out.writeByte((int) rest);
    }

    /**
     * Reads a value at the reader index and moves past it.
     *
     * @throws PeerProtocolException when the buffer ends inside the value or it is longer than
     *                               {@link #MAX_BYTES}
     */
    public static long read(ByteBuf in) {
        if (!in.isReadable()) {
            throw new PeerProtocolException("truncated integer");
        }
        long value = in.readUnsignedByte();
        if (value < ONE_BYTE_LIMIT) {
            return value;
        }
        int shift = 4;
        for (int i = 1; i < MAX_BYTES; i++) {
            if (!in.isReadable()) {
                throw new PeerProtocolException("truncated integer");
            }
            int b = in.readUnsignedByte();
            value += (long) b << shift;
            shift += 7;
            if (b < 128) {
                return value;
            }
        }
        throw new PeerProtocolException("integer longer than " + MAX_BYTES + " bytes");
    }

    /**
     * How many bytes the value at {@code index} takes, without reading it; -1 when the buffer ends
     * before it does (the frame decoder waits for more).
     */
    static int peekLength(ByteBuf in, int index) {
        int end = in.writerIndex();
        if (index >= end) {
            return -1;
        }
        if (in.getUnsignedByte(index) < ONE_BYTE_LIMIT) {
            return 1;
        }
        for (int i = 1; i < MAX_BYTES; i++) {
            if (index + i >= end) {
                return -1;
            }
            if (in.getUnsignedByte(index + i) < 128) {
                return i + 1;
            }
        }
        throw new PeerProtocolException("integer longer than " + MAX_BYTES + " bytes");
    }
}
