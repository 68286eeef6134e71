package dev.sluice.balancer.lb;

/**
 * HAProxy's {@code wt6} hash: two 32-bit lanes, each byte is folded into both, the lanes are rotated by
 * amounts that themselves depend on the data, and swapped. Kept apart from {@link HashFunction} because it
 * does not fit the one-state-word shape of the others.
 */
final class Wt6 {
    private static final int H0 = 0xa53c965a;
    private static final int H1 = 0x5ca6953a;
    private static final int STEP0 = 6;
    private static final int STEP1 = 18;

    private Wt6() {
    }

    static int hash(byte[] key, int offset, int length) {
        int h0 = H0;
        int h1 = H1;
        int step0 = STEP0;
        int step1 = STEP1;
        for (int i = offset, end = offset + length; i < end; i++) {
            int c = key[i] & 0xFF;
            h0 = ~(h0 ^ c);
            h1 = ~(h1 + c);
            int t = Integer.rotateLeft(h1, step0);
            h1 = Integer.rotateLeft(h0, step1);
            h0 = t;
            t = ((h0 >>> 16) ^ h1) & 0xffff;
            step0 = t & 0x1f;
            step1 = t >>> 11;
        }
        return h0 ^ h1;
    }

    static int hash(CharSequence key, int start, int end) {
        int h0 = H0;
        int h1 = H1;
        int step0 = STEP0;
        int step1 = STEP1;
        for (int i = start; i < end; i++) {
            int c = key.charAt(i) & 0xFF;
            h0 = ~(h0 ^ c);
            h1 = ~(h1 + c);
            int t = Integer.rotateLeft(h1, step0);
            h1 = Integer.rotateLeft(h0, step1);
            h0 = t;
            t = ((h0 >>> 16) ^ h1) & 0xffff;
            step0 = t & 0x1f;
            step1 = t >>> 11;
        }
        return h0 ^ h1;
    }
}
