package dev.sluice.balancer.lb;

/**
 * Reads a key for {@link HashFunction#NONE}: an optional sign then leading decimal digits, saturating at the
 * limits of a signed 64-bit integer; parsing stops at the first non-digit (no digits gives 0).
 */
final class DecimalKey {
    private DecimalKey() {
    }

    static long parse(byte[] key, int start, int end) {
        boolean negative = false;
        int i = start;
        if (i < end && (key[i] == '-' || key[i] == '+')) {
            negative = key[i] == '-';
            i++;
        }
        long magnitude = 0; // unsigned
        boolean overflow = false;
        for (; i < end; i++) {
            int digit = key[i] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            if (!overflow) {
                long next = magnitude * 10 + digit;
                if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L, 10)) > 0
                        || Long.compareUnsigned(next, magnitude * 10) < 0) {
                    overflow = true;
                } else {
                    magnitude = next;
                }
            }
        }
        return saturate(negative, overflow ? -1L : magnitude);
    }

    static long parse(CharSequence key, int start, int end) {
        boolean negative = false;
        int i = start;
        if (i < end && (key.charAt(i) == '-' || key.charAt(i) == '+')) {
            negative = key.charAt(i) == '-';
            i++;
        }
        long magnitude = 0;
        boolean overflow = false;
        for (; i < end; i++) {
            int digit = key.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            if (!overflow) {
                long next = magnitude * 10 + digit;
                if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L, 10)) > 0
                        || Long.compareUnsigned(next, magnitude * 10) < 0) {
                    overflow = true;
                } else {
                    magnitude = next;
                }
            }
        }
        return saturate(negative, overflow ? -1L : magnitude);
    }

    private static long saturate(boolean negative, long unsignedMagnitude) {
        if (negative) {
            return Long.compareUnsigned(unsignedMagnitude, Long.MIN_VALUE) > 0 ? Long.MIN_VALUE : -unsignedMagnitude;
        }
        return Long.compareUnsigned(unsignedMagnitude, Long.MAX_VALUE) > 0 ? Long.MAX_VALUE : unsignedMagnitude;
    }
}
