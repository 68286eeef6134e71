package dev.sluice.balancer.stick;

import java.util.function.LongSupplier;

/**
 * The tables' time in milliseconds: monotonic, and far from zero from the start, because a fresh
 * rate counter's period starts at 0 (as HAProxy's, whose {@code now_ms} is never near 0): its
 * first event must find that period long over. {@code System.nanoTime()} alone may be negative.
 */
public final class TableClock {

    /** Where the tables' time starts: 2^32 ms, well past any period. */
    static final long START_MS = 1L << 32;
    private static final long ORIGIN = System.nanoTime();

    /** The monotonic clock every running table uses. */
    public static final LongSupplier SYSTEM = () -> START_MS + (System.nanoTime() - ORIGIN) / 1_000_000L;

    private TableClock() {
    }
}
