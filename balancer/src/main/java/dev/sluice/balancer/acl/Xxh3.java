package dev.sluice.balancer.acl;

/**
 * XXH3's 64-bit hash with a seed, over bytes held as chars 0–255, written from the xxHash
 * specification (doc/xxhash_spec.md) for HAProxy's {@code xxh3} converter. Inputs above 240 bytes
 * with a non-zero seed use a secret derived per call (192 bytes); every other path allocates nothing.
 */
final class Xxh3 {

    private static final long P32_1 = 0x9E3779B1L;
    private static final long P32_2 = 0x85EBCA77L;
    private static final long P32_3 = 0xC2B2AE3DL;
    private static final long P64_1 = 0x9E3779B185EBCA87L;
    private static final long P64_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P64_3 = 0x165667B19E3779F9L;
    private static final long P64_4 = 0x85EBCA77C2B2AE63L;
    private static final long P64_5 = 0x27D4EB2F165667C5L;
    private static final long MX1 = 0x165667919E3779F9L;
    private static final long MX2 = 0x9FB21C651E98DF25L;
    private static final int MID_SIZE = 240;
    private static final int STRIPE = 64;

    /** The specification's default secret. */
    private static final byte[] SECRET = bytes(
            0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
            0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
            0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
            0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
            0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
            0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
            0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
            0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
            0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
            0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
            0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
            0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e);

    private Xxh3() {
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static long secret64(byte[] secret, int i) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = v << 8 | (secret[i + k] & 0xff);
        }
        return v;
    }

    private static long secret32(byte[] secret, int i) {
        return secret64(secret, i) & 0xffff_ffffL;
    }

    private static long input64(CharSequence s, int i) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = v << 8 | (s.charAt(i + k) & 0xff);
        }
        return v;
    }

    private static long input32(CharSequence s, int i) {
        return (s.charAt(i) & 0xff) | (s.charAt(i + 1) & 0xff) << 8 | (s.charAt(i + 2) & 0xff) << 16
                | (long) (s.charAt(i + 3) & 0xff) << 24;
    }

    private static long avalanche(long x) {
        x ^= x >>> 37;
        x *= MX1;
        return x ^ (x >>> 32);
    }

    private static long avalancheXxh64(long x) {
        x ^= x >>> 33;
        x *= P64_2;
        x ^= x >>> 29;
        x *= P64_3;
        return x ^ (x >>> 32);
    }

    /** The low half xor the high half of the 128-bit product. */
    private static long fold(long a, long b) {
        return a * b ^ Math.unsignedMultiplyHigh(a, b);
    }

    static long hash(CharSequence s, int from, int to, long seed) {
        int length = to - from;
        if (length <= 16) {
            return small(s, from, length, seed);
        }
        if (length <= MID_SIZE) {
            return medium(s, from, length, seed);
        }
        return large(s, from, length, seed == 0 ? SECRET : derive(seed));
    }

    private static long small(CharSequence s, int from, int length, long seed) {
        if (length > 8) {
            long low = (secret64(SECRET, 24) ^ secret64(SECRET, 32)) + seed ^ input64(s, from);
            long high = (secret64(SECRET, 40) ^ secret64(SECRET, 48)) - seed ^ input64(s, from + length - 8);
            return avalanche(length + Long.reverseBytes(low) + high + fold(low, high));
        }
        if (length >= 4) {
            long modifiedSeed = seed ^ (long) Integer.reverseBytes((int) seed) << 32;
            long combined = input32(s, from + length - 4) | input32(s, from) << 32;
            long v = ((secret64(SECRET, 8) ^ secret64(SECRET, 16)) - modifiedSeed) ^ combined;
            v ^= Long.rotateLeft(v, 49) ^ Long.rotateLeft(v, 24);
            v *= MX2;
            v ^= (v >>> 35) + length;
            v *= MX2;
            return v ^ (v >>> 28);
        }
        if (length > 0) {
            long combined = (s.charAt(from + length - 1) & 0xff) | (long) length << 8
                    | (long) (s.charAt(from) & 0xff) << 16 | (long) (s.charAt(from + (length >> 1)) & 0xff) << 24;
            return avalancheXxh64(((secret32(SECRET, 0) ^ secret32(SECRET, 4)) + seed) ^ combined);
        }
        return avalancheXxh64(seed ^ secret64(SECRET, 56) ^ secret64(SECRET, 64));
    }

    private static long mix(CharSequence s, int at, int secretOffset, long seed) {
        return fold(input64(s, at) ^ (secret64(SECRET, secretOffset) + seed),
                input64(s, at + 8) ^ (secret64(SECRET, secretOffset + 8) - seed));
    }

    private static long medium(CharSequence s, int from, int length, long seed) {
        long acc = length * P64_1;
        if (length <= 128) {
            for (int i = ((length - 1) >> 5); i >= 0; i--) {
                acc += mix(s, from + i * 16, i * 32, seed);
                acc += mix(s, from + length - i * 16 - 16, i * 32 + 16, seed);
            }
            return avalanche(acc);
        }
        for (int i = 0; i < 8; i++) {
            acc += mix(s, from + i * 16, i * 16, seed);
        }
        acc = avalanche(acc);
        int chunks = length >> 4;
        for (int i = 8; i < chunks; i++) {
            acc += mix(s, from + i * 16, (i - 8) * 16 + 3, seed);
        }
        acc += mix(s, from + length - 16, 119, seed);
        return avalanche(acc);
    }

    private static byte[] derive(long seed) {
        byte[] derived = new byte[SECRET.length];
        for (int i = 0; i < SECRET.length / 8; i++) {
            long v = secret64(SECRET, i * 8) + ((i & 1) == 0 ? seed : -seed);
            for (int k = 0; k < 8; k++) {
                derived[i * 8 + k] = (byte) (v >>> (8 * k));
            }
        }
        return derived;
    }

    private static void accumulate(long[] acc, CharSequence s, int at, byte[] secret, int secretOffset) {
        for (int i = 0; i < 8; i++) {
            long lane = input64(s, at + i * 8);
            long v = lane ^ secret64(secret, secretOffset + i * 8);
            acc[i ^ 1] += lane;
            acc[i] += (v & 0xffff_ffffL) * (v >>> 32);
        }
    }

    private static long large(CharSequence s, int from, int length, byte[] secret) {
        long[] acc = {P32_3, P64_1, P64_2, P64_3, P64_4, P32_2, P64_5, P32_1};
        int stripesPerBlock = (secret.length - STRIPE) / 8;
        int blockSize = STRIPE * stripesPerBlock;
        int at = from;
        int end = from + length;
        while (end - at > blockSize) {
            for (int n = 0; n < stripesPerBlock; n++) {
                accumulate(acc, s, at + n * STRIPE, secret, n * 8);
            }
            for (int i = 0; i < 8; i++) {
                long a = acc[i];
                a ^= a >>> 47;
                a ^= secret64(secret, secret.length - STRIPE + i * 8);
                acc[i] = a * P32_1;
            }
            at += blockSize;
        }
        int stripes = (end - at - 1) / STRIPE;
        for (int n = 0; n < stripes; n++) {
            accumulate(acc, s, at + n * STRIPE, secret, n * 8);
        }
        accumulate(acc, s, end - STRIPE, secret, secret.length - 71);
        long result = length * P64_1;
        for (int i = 0; i < 4; i++) {
            result += fold(acc[i * 2] ^ secret64(secret, 11 + i * 16), acc[i * 2 + 1] ^ secret64(secret, 19 + i * 16));
        }
        return avalanche(result);
    }
}
