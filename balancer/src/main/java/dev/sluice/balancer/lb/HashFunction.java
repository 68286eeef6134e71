package dev.sluice.balancer.lb;

/**
 * The hash functions of HAProxy's {@code hash-type ... <function>}, bit for bit, so that a key maps to the
 * same server here as behind HAProxy. Results are unsigned 32-bit values held in an {@code int}.
 *
 * <p>Text keys are hashed as the bytes they came from: each {@code char} contributes its low 8 bits, which
 * is exact for request lines and headers (Netty decodes them as ISO-8859-1, one char per byte).
 */
public enum HashFunction {
    /** {@code h = c + (h << 6) + (h << 16) - h}, from 0: HAProxy's default. */
    SDBM {
        @Override
        int step(int state, int c) {
            return c + (state << 6) + (state << 16) - state;
        }
    },
    /** {@code h = h * 33 + c}, from 5381. */
    DJB2 {
        @Override
        int initial() {
            return 5381;
        }

        @Override
        int step(int state, int c) {
            return (state << 5) + state + c;
        }
    },
    /** Bit-reflected CRC-32 (polynomial 0xEDB88320, initial and final inversion), as in gzip and PNG. */
    CRC32 {
        @Override
        int initial() {
            return ~0;
        }

        @Override
        int step(int state, int c) {
            int crc = state ^ c;
            for (int bit = 0; bit < Byte.SIZE; bit++) {
                crc = (crc >>> 1) ^ (-(crc & 1) & CRC32_POLYNOMIAL);
            }
            return crc;
        }

        @Override
        int finish(int state) {
            return ~state;
        }
    },
    /** HAProxy's own two-lane rotating hash (see {@link Wt6}). */
    WT6 {
        @Override
        public int hash(byte[] key, int offset, int length) {
            return Wt6.hash(key, offset, length);
        }

        @Override
        public int hash(CharSequence key, int start, int end) {
            return Wt6.hash(key, start, end);
        }
    },
    /**
     * No hashing: the key is read as a signed decimal integer (leading digits only, saturated to 64 bits)
     * and its low 32 bits are the hash, so a converter upstream can choose the hash itself.
     */
    NONE {
        @Override
        public int hash(byte[] key, int offset, int length) {
            return (int) DecimalKey.parse(key, offset, offset + length);
        }

        @Override
        public int hash(CharSequence key, int start, int end) {
            return (int) DecimalKey.parse(key, start, end);
        }
    };

    private static final int CRC32_POLYNOMIAL = 0xEDB88320;

    int initial() {
        return 0;
    }

    int step(int state, int c) {
        throw new AssertionError("not a byte-wise hash: " + this);
    }

    int finish(int state) {
        return state;
    }

    /** Hashes {@code key[offset, offset + length)}. */
    public int hash(byte[] key, int offset, int length) {
        int h = initial();
        for (int i = offset, end = offset + length; i < end; i++) {
            h = step(h, key[i] & 0xFF);
        }
        return finish(h);
    }

    /** Hashes the chars {@code key[start, end)}, each as its low byte. */
    public int hash(CharSequence key, int start, int end) {
        int h = initial();
        for (int i = start; i < end; i++) {
            h = step(h, key.charAt(i) & 0xFF);
        }
        return finish(h);
    }

    /** Hashes a whole byte array. */
    public final int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /** Hashes a whole char sequence. */
    public final int hash(CharSequence key) {
        return hash(key, 0, key.length());
    }

    /**
     * HAProxy's {@code full_hash}: Bob Jenkins' 32-bit full-avalanche integer mix followed by a multiplication
     * by 3221225473 to spread values around the ring. It is the {@code avalanche} modifier and also places
     * the points of consistent hashing.
     */
    public static int avalanche(int a) {
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return a * (int) 3221225473L;
    }
}
