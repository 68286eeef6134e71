package dev.sluice.common.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Parses one PROXY header (v1 or v2) from the start of a buffer, strictly and without guessing:
 * it returns {@code null} while the bytes so far are a valid prefix of a header, the header once it
 * is complete (the reader index then stands on the first byte after it), and throws
 * {@link ProxyRefusedException} as soon as the bytes cannot become a valid header.
 *
 * <p>It never reads past the header, never changes the buffer on {@code null} or refusal, and
 * copies only what the header keeps (addresses and TLV values).
 */
public final class ProxyHeaderParser {
    /** Spec 2.1: "a receiver ... knows it will never have to process more than 107 bytes". */
    public static final int V1_MAX_BYTES = 107;
    /** Spec 2.2: the fixed part of a v2 header before the addresses. */
    public static final int V2_FIXED_BYTES = 16;
    /** The largest v2 header the 16-bit length allows. */
    public static final int V2_MAX_BYTES = V2_FIXED_BYTES + 0xFFFF;

    static final byte[] V1_PREFIX = {'P', 'R', 'O', 'X', 'Y', ' '};
    /** Spec 2.2: "\r\n\r\n\0\r\nQUIT\n". */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaderParser() {
    }

    /**
     * Parses from {@code in}'s reader index. {@code maxV2Bytes} bounds a v2 header (fixed part,
     * addresses and TLVs) between {@link #V2_FIXED_BYTES} + 216 and {@link #V2_MAX_BYTES}.
     */
    public static ProxyHeader parse(ByteBuf in, int maxV2Bytes) {
        if (!in.isReadable()) {
            return null;
        }
        byte first = in.getByte(in.readerIndex());
        if (first == V1_PREFIX[0]) {
            if (!matchesPrefix(in, V1_PREFIX)) {
                throw ProxyRefusedException.of(ProxyRefusal.NOT_PROXY);
            }
            return ProxyV1Parser.parse(in);
        }
        if (first == V2_SIGNATURE[0]) {
            if (!matchesPrefix(in, V2_SIGNATURE)) {
                throw ProxyRefusedException.of(ProxyRefusal.BAD_SIGNATURE);
            }
            return ProxyV2Parser.parse(in, maxV2Bytes);
        }
        throw ProxyRefusedException.of(ProxyRefusal.NOT_PROXY);
    }

    /** What the first bytes say about a possible header, for peers that must not send one. */
    public enum Signature { NEED_MORE, PRESENT, ABSENT }

    /** Whether {@code in} starts with a v1 or v2 signature, looking at as few bytes as decide it. */
    public static Signature detect(ByteBuf in) {
        if (!in.isReadable()) {
            return Signature.NEED_MORE;
        }
        byte[] signature = in.getByte(in.readerIndex()) == V1_PREFIX[0] ? V1_PREFIX : V2_SIGNATURE;
        if (!matchesPrefix(in, signature)) {
            return Signature.ABSENT;
        }
        return in.readableBytes() >= signature.length ? Signature.PRESENT : Signature.NEED_MORE;
    }

    /** True when the readable bytes, as far as they go, agree with {@code expected}. */
    private static boolean matchesPrefix(ByteBuf in, byte[] expected) {
        int n = Math.min(in.readableBytes(), expected.length);
        int start = in.readerIndex();
        for (int i = 0; i < n; i++) {
            if (in.getByte(start + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
