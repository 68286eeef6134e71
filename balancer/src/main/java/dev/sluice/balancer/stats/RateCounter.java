package dev.sluice.balancer.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events per second with HAProxy's {@code freq_ctr} semantics: the count of the current second
 * plus the previous second's count weighted by the part of the current second still to run, so
 * the figure glides instead of dropping to zero at each second boundary. Counting is one
 * {@link LongAdder} increment; the once-a-second rotation is a compare-and-set on the second, so
 * no event waits on a lock (an event racing a rotation may land in either second).
 */
final class RateCounter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final AtomicLong second = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder current = new LongAdder();
    private volatile long previous;
    private volatile long max;

    /** Counts one event at {@code nowNanos} ({@link System#nanoTime()}) and updates the maximum. */
    void add(long nowNanos) {
        rotate(nowNanos / NANOS_PER_SECOND);
        current.increment();
        long rate = read(nowNanos);
        if (rate > max) {
            max = rate;
        }
    }

    /** Events over the last second at {@code nowNanos}. */
    long read(long nowNanos) {
        long now = nowNanos / NANOS_PER_SECOND;
        long at = second.get();
        long cur;
        long prev;
        if (at == now) {
            cur = current.sum();
            prev = previous;
        } else if (at == now - 1) {
            cur = 0;
            prev = current.sum();
        } else {
            return 0;
        }
        long remainingNanos = NANOS_PER_SECOND - nowNanos % NANOS_PER_SECOND;
        return cur + (prev * remainingNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }

    long max() {
        return max;
    }

    private void rotate(long now) {
        long at = second.get();
        if (at == now || !second.compareAndSet(at, now)) {
            return;
        }
        long ended = current.sumThenReset();
        previous = at == now - 1 ? ended : 0;
    }
}
