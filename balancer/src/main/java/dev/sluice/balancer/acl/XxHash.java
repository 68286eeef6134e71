package dev.sluice.balancer.acl;

/** XXH32 and XXH64 over bytes held as chars 0–255 (little-endian lanes), as HAProxy's xxh32/xxh64 converters. */
final class XxHash {

    private static final int P32_1 = 0x9E3779B1;
    private static final int P32_2 = 0x85EBCA77;
    private static final int P32_3 = 0xC2B2AE3D;
    private static final int P32_4 = 0x27D4EB2F;
    private static final int P32_5 = 0x165667B1;
    private static final long P64_1 = 0x9E3779B185EBCA87L;
    private static final long P64_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P64_3 = 0x165667B19E3779F9L;
    private static final long P64_4 = 0x85EBCA77C2B2AE63L;
    private static final long P64_5 = 0x27D4EB2F165667C5L;

    private XxHash() {
    }

    private static int int32(CharSequence s, int i) {
        return (s.charAt(i) & 0xff) | (s.charAt(i + 1) & 0xff) << 8 | (s.charAt(i + 2) & 0xff) << 16
                | (s.charAt(i + 3) & 0xff) << 24;
    }

    private static long int64(CharSequence s, int i) {
        return (int32(s, i) & 0xffff_ffffL) | (long) int32(s, i + 4) << 32;
    }

    private static int round32(int acc, int input) {
        return Integer.rotateLeft(acc + input * P32_2, 13) * P32_1;
    }

    static int xxh32(CharSequence s, int from, int to, int seed) {
        int i = from;
        int h;
        if (to - from >= 16) {
            int v1 = seed + P32_1 + P32_2;
            int v2 = seed + P32_2;
            int v3 = seed;
            int v4 = seed - P32_1;
            for (; i + 16 <= to; i += 16) {
                v1 = round32(v1, int32(s, i));
                v2 = round32(v2, int32(s, i + 4));
                v3 = round32(v3, int32(s, i + 8));
                v4 = round32(v4, int32(s, i + 12));
            }
            h = Integer.rotateLeft(v1, 1) + Integer.rotateLeft(v2, 7) + Integer.rotateLeft(v3, 12)
                    + Integer.rotateLeft(v4, 18);
        } else {
            h = seed + P32_5;
        }
        h += to - from;
        for (; i + 4 <= to; i += 4) {
            h = Integer.rotateLeft(h + int32(s, i) * P32_3, 17) * P32_4;
        }
        for (; i < to; i++) {
            h = Integer.rotateLeft(h + (s.charAt(i) & 0xff) * P32_5, 11) * P32_1;
        }
        h ^= h >>> 15;
        h *= P32_2;
        h ^= h >>> 13;
        h *= P32_3;
        h ^= h >>> 16;
        return h;
    }

    private static long round64(long acc, long input) {
        return Long.rotateLeft(acc + input * P64_2, 31) * P64_1;
    }

    private static long merge64(long acc, long v) {
        return (acc ^ round64(0, v)) * P64_1 + P64_4;
    }

    static long xxh64(CharSequence s, int from, int to, long seed) {
        int i = from;
        long h;
        if (to - from >= 32) {
            long v1 = seed + P64_1 + P64_2;
            long v2 = seed + P64_2;
            long v3 = seed;
            long v4 = seed - P64_1;
            for (; i + 32 <= to; i += 32) {
                v1 = round64(v1, int64(s, i));
                v2 = round64(v2, int64(s, i + 8));
                v3 = round64(v3, int64(s, i + 16));
                v4 = round64(v4, int64(s, i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge64(h, v1);
            h = merge64(h, v2);
            h = merge64(h, v3);
            h = merge64(h, v4);
        } else {
            h = seed + P64_5;
        }
        h += to - from;
        for (; i + 8 <= to; i += 8) {
            h ^= round64(0, int64(s, i));
            h = Long.rotateLeft(h, 27) * P64_1 + P64_4;
        }
        if (i + 4 <= to) {
            h ^= (int32(s, i) & 0xffff_ffffL) * P64_1;
            h = Long.rotateLeft(h, 23) * P64_2 + P64_3;
            i += 4;
        }
        for (; i < to; i++) {
            h ^= (s.charAt(i) & 0xff) * P64_5;
            h = Long.rotateLeft(h, 11) * P64_1;
        }
        h ^= h >>> 33;
        h *= P64_2;
        h ^= h >>> 29;
        h *= P64_3;
        h ^= h >>> 32;
        return h;
    }
}
