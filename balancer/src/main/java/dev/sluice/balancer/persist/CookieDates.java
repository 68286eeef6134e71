package dev.sluice.balancer.persist;

/**
 * The dates HAProxy appends to an inserted cookie when {@code maxidle} or {@code maxlife} is set:
 * {@code VALUE|LAST|FIRST}, each date a UNIX time in 4-second units written as 5 base64 digits
 * (30 bits, most significant first), so that any HAProxy or Sluice node can read another's cookie.
 */
public final class CookieDates {
    /** Separates the server's value from the dates. */
    public static final char DELIMITER = '|';
    /** Characters of one encoded date. */
    public static final int DIGITS = 5;
    /** Dates are kept in 4-second units (a shift of 2). */
    private static final int RESOLUTION_SHIFT = 2;
    /** A date rounds up to its 4-second unit (HAProxy adds 3 before shifting). */
    private static final int ROUND_UP = 3;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final int BITS = 6;
    private static final int MASK = 63;

    private CookieDates() {
    }

    /** The date written for {@code epochSeconds}, in seconds (rounded up to the 4-second unit). */
    public static long quantize(long epochSeconds) {
        return ((epochSeconds + ROUND_UP) >> RESOLUTION_SHIFT) << RESOLUTION_SHIFT;
    }

    /** Appends the 5 digits for {@code epochSeconds} (rounded up to the 4-second unit). */
    public static void append(StringBuilder out, long epochSeconds) {
        appendUnits(out, (epochSeconds + ROUND_UP) >> RESOLUTION_SHIFT);
    }

    /** Appends the 5 digits for a date already quantized (as {@link #decode} returns it). */
    public static void appendExact(StringBuilder out, long quantizedSeconds) {
        appendUnits(out, quantizedSeconds >> RESOLUTION_SHIFT);
    }

    private static void appendUnits(StringBuilder out, long units) {
        int value = (int) units;
        for (int shift = (DIGITS - 1) * BITS; shift >= 0; shift -= BITS) {
            out.append(ALPHABET.charAt((value >>> shift) & MASK));
        }
    }

    /**
     * The date encoded at {@code text[from, from + 5)} in seconds, or 0 when those characters are not
     * 5 base64 digits or encode 0 (HAProxy ignores such a date).
     */
    public static long decode(CharSequence text, int from) {
        if (from < 0 || text.length() - from < DIGITS) {
            return 0;
        }
        long value = 0;
        for (int i = from; i < from + DIGITS; i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                return 0;
            }
            value = (value << BITS) | digit;
        }
        return value << RESOLUTION_SHIFT;
    }
}
