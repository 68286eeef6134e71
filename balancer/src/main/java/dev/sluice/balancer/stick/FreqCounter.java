package dev.sluice.balancer.stick;

/**
 * An event rate over a sliding period, with HAProxy's arithmetic (its {@code freq_ctr_period}): the
 * events of the current period plus those of the previous period weighted by the part of the
 * previous period still inside the window. Two fields and a period start, no per-event history, so a
 * rate costs the same memory whatever its traffic. Not thread-safe on its own: {@link StickEntry}
 * guards it with the entry's lock.
 *
 * <p>Times are milliseconds from an arbitrary origin (the table's clock). As in HAProxy the start of
 * the current period is kept even (the low bit is the lock bit there), so figures match to the
 * millisecond.
 */
final class FreqCounter {

    private long currentStart;
    private long current;
    private long previous;

    /** Adds {@code events} at {@code now}, rotating the periods first when the current one is over. */
    void add(long now, long period, long events) {
        if (now - currentStart >= period) {
            previous = current;
            current = 0;
            currentStart += period;
            if (now - currentStart >= period) {
                // Two periods or more went by without an event: the window is empty.
                previous = 0;
                currentStart = now;
            }
            currentStart &= ~1L;
        }
        current += events;
    }

    /**
     * The rate at {@code now}: events per period. Below one event per period the previous count is
     * reported whole, as HAProxy does to keep very low rates from flapping between 0 and 1.
     */
    long read(long now, long period) {
        long curr = current;
        long past = previous;
        long remain = currentStart + period - now;
        if (remain < 0) {
            // The current period is over but nobody rotated it: it is the previous one now.
            remain += period;
            past = remain >= 0 ? curr : 0;
            curr = 0;
        }
        if (curr == 0 && past <= 1) {
            return past;
        }
        return curr + past * remain / period;
    }

    /** Takes a peer's state: the current period started at {@code start} (kept even, as in {@link #add}). */
    void restore(long start, long current, long previous) {
        this.currentStart = start & ~1L;
        this.current = current;
        this.previous = previous;
    }

    /** {@code into[0]}: milliseconds since the current period started; {@code [1]} current; {@code [2]} previous. */
    void export(long now, long[] into) {
        into[0] = now - currentStart;
        into[1] = current;
        into[2] = previous;
    }
}
