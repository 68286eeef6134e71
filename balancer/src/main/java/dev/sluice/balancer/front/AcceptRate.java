package dev.sluice.balancer.front;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A limit on new connections per second ({@code maxconnrate}, {@code maxsessrate} in
 * {@code global}, {@code rate-limit sessions} in a frontend), shared by every listener it covers.
 * The rate is HAProxy's estimate over a sliding second: the current second's count plus the
 * previous second's, weighted by the part of it still inside the last second. A listener whose
 * rate is reached stops accepting (its clients wait in the backlog) and tries again a moment later.
 */
public final class AcceptRate {
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The longest a paused listener waits before it looks again. */
    private static final long MAX_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String scope;
    private final int perSecond;
    private final LongSupplier nanoTime;
    private long windowStart;
    private int current;
    private int previous;

    /** @param perSecond connections admitted per second; 0 for no limit */
    public AcceptRate(String scope, int perSecond) {
        this(scope, perSecond, System::nanoTime);
    }

    /** @param nanoTime the clock (tests pass their own) */
    public AcceptRate(String scope, int perSecond, LongSupplier nanoTime) {
        if (perSecond < 0) {
            throw new IllegalArgumentException(scope + ": " + perSecond + " per second (expected: >= 0)");
        }
        this.scope = scope;
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    public boolean limited() {
        return perSecond > 0;
    }

    public String scope() {
        return scope;
    }

    public int perSecond() {
        return perSecond;
    }

    /** Whether one more connection now stays within the rate (nothing is counted). */
    public synchronized boolean hasRoom() {
        if (perSecond == 0) {
            return true;
        }
        long now = roll();
        long intoWindow = now - windowStart;
        // The previous second still counts for the part of it within the last second.
        double estimate = current + previous * (double) (SECOND_NANOS - intoWindow) / SECOND_NANOS;
        return estimate < perSecond;
    }

    /** Counts one admitted connection. */
    public synchronized void count() {
        if (perSecond > 0) {
            roll();
            current++;
        }
    }

    /** How long a paused listener waits before it looks again. */
    public long retryNanos() {
        long spacing = perSecond == 0 ? MIN_RETRY_NANOS : SECOND_NANOS / perSecond;
        return Math.clamp(spacing, MIN_RETRY_NANOS, MAX_RETRY_NANOS);
    }

    private long roll() {
        long now = nanoTime.getAsLong();
        long elapsed = now - windowStart;
        if (elapsed >= SECOND_NANOS) {
            long seconds = elapsed / SECOND_NANOS;
            previous = seconds == 1 ? current : 0;
            current = 0;
            windowStart += seconds * SECOND_NANOS;
        }
        return now;
    }
}
