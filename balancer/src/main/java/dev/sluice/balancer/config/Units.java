package dev.sluice.balancer.config;

import java.time.Duration;

/**
 * HAProxy's time and size formats (configuration.txt 2.5 and 2.6): a decimal number, then an
 * optional unit. Times default to milliseconds and must fit HAProxy's 2^31-1 ms timer range;
 * sizes use binary multiples.
 */
public final class Units {

    /** HAProxy's timers are signed 32-bit milliseconds (about 24.8 days). */
    public static final long MAX_TIME_MS = Integer.MAX_VALUE;

    private Units() {
    }

    /** Parses {@code 10}, {@code 500ms}, {@code 30s}, {@code 1m}, {@code 2h}, {@code 1d}, {@code 100us}. */
    public static Duration time(String text) throws ConfigException {
        int digits = leadingDigits(text, "time");
        long value = number(text, digits);
        String unit = text.substring(digits);
        long micros;
        switch (unit) {
            case "us" -> micros = value;
            case "", "ms" -> micros = multiply(value, 1_000L, text);
            case "s" -> micros = multiply(value, 1_000_000L, text);
            case "m" -> micros = multiply(value, 60_000_000L, text);
            case "h" -> micros = multiply(value, 3_600_000_000L, text);
            case "d" -> micros = multiply(value, 86_400_000_000L, text);
            default -> throw new ConfigException("unexpected character '" + unit.charAt(unitLength(unit))
                    + "' in time '" + text + "' (expected a number with an optional unit: us, ms, s, m, h, d)");
        }
        // HAProxy rounds sub-millisecond values up so that a non-zero timeout never becomes zero.
        long millis = (micros + 999) / 1000;
        if (millis > MAX_TIME_MS) {
            throw new ConfigException("timer overflow in '" + text + "' (maximum value is " + MAX_TIME_MS
                    + " ms or ~24.8 days)");
        }
        return Duration.ofMillis(millis);
    }

    /** Units spelled out after the letters HAProxy reads ({@code 15min}: 'm', then "in"). */
    private static final java.util.Map<String, java.util.Set<String>> SPELLED = java.util.Map.of(
            "us", java.util.Set.of("usec", "usecs"),
            "ms", java.util.Set.of("msec", "msecs"),
            "s", java.util.Set.of("sec", "secs", "second", "seconds"),
            "m", java.util.Set.of("min", "mins", "minute", "minutes"),
            "h", java.util.Set.of("hr", "hrs", "hour", "hours"),
            "d", java.util.Set.of("day", "days"));

    /**
     * A proxy's {@code timeout} value. HAProxy 2.6 reads the number and the unit letters and only
     * warns about what follows ({@code 15min} is 15 minutes); we follow it where the rest spells
     * out that same unit ({@code min}, {@code sec}, {@code hours}…) and refuse anything else
     * ({@code 1ms2}) as {@link #time} does, rather than guess.
     *
     * @param warn receives HAProxy's warning when a spelled-out unit was read
     */
    public static Duration proxyTimeout(String text, java.util.function.Consumer<String> warn) throws ConfigException {
        int digits = leadingDigits(text, "time");
        String unit = text.substring(digits);
        int known = unitLength(unit);
        String letters = unit.substring(0, known);
        if (known == 0 || known == unit.length() || !SPELLED.getOrDefault(letters, java.util.Set.of()).contains(unit)) {
            return time(text);
        }
        Duration value = time(text.substring(0, digits + known));
        warn.accept("unexpected character '" + unit.charAt(known) + "' after the timer value '" + text + "', only "
                + "(us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be "
                + "reported as an error in next versions.");
        return value;
    }

    /** How much of {@code unit} is a valid time unit, to point at the first character that is not. */
    private static int unitLength(String unit) {
        for (String known : new String[] {"us", "ms", "s", "m", "h", "d"}) {
            if (unit.startsWith(known)) {
                return known.length();
            }
        }
        return 0;
    }

    /** Parses {@code 16384}, {@code 16k}, {@code 1m}, {@code 1g} (binary multiples, case-insensitive). */
    public static long size(String text) throws ConfigException {
        int digits = leadingDigits(text, "size");
        long value = number(text, digits);
        String unit = text.substring(digits);
        long factor = switch (unit.toLowerCase(java.util.Locale.ROOT)) {
            case "" -> 1L;
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> throw new ConfigException("unexpected character '" + unit.charAt(0) + "' in size '" + text
                    + "' (expected a number with an optional unit: k, m, g)");
        };
        long bytes = multiply(value, factor, text);
        if (bytes > Integer.MAX_VALUE) {
            throw new ConfigException("size '" + text + "' is too large (maximum is " + Integer.MAX_VALUE + " bytes)");
        }
        return bytes;
    }

    /** A plain non-negative decimal integer up to {@code max}. */
    public static int integer(String text, String what, int min, int max) throws ConfigException {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException(what + " expects an integer between " + min + " and " + max
                    + " (got '" + text + "')");
        }
        long value = number(text, text.length());
        if (value < min || value > max) {
            throw new ConfigException(what + " must be between " + min + " and " + max + " (got " + text + ")");
        }
        return (int) value;
    }

    private static int leadingDigits(String text, String what) throws ConfigException {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        if (i == 0) {
            throw new ConfigException("'" + text + "' is not a valid " + what + " (expected a decimal number)");
        }
        return i;
    }

    private static long number(String text, int digits) throws ConfigException {
        // 18 digits always fit a long; more is an overflow whatever the unit.
        if (digits > 18) {
            throw new ConfigException("value '" + text + "' is too large");
        }
        return Long.parseLong(text, 0, digits, 10);
    }

    private static long multiply(long value, long factor, String text) throws ConfigException {
        try {
            return Math.multiplyExact(value, factor);
        } catch (ArithmeticException e) {
            throw new ConfigException("value '" + text + "' is too large");
        }
    }
}
