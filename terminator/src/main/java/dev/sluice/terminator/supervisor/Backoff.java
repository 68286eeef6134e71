package dev.sluice.terminator.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Restart delays for crashing workers: the first restart is quick; each further crash within
 * {@code window} doubles the delay up to {@code max}. A worker that crashed {@code loopThreshold}
 * times within the window is "crash looping" and reported as such.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Duration window;
    private final int loopThreshold;
    private final Map<Integer, Deque<Long>> crashes = new HashMap<>();

    public Backoff(Duration initial, Duration max, Duration window, int loopThreshold) {
        if (initial.isNegative() || max.compareTo(initial) < 0 || window.isNegative() || loopThreshold < 1) {
            throw new IllegalArgumentException("backoff: initial " + initial + ", max " + max + ", window " + window
                    + ", threshold " + loopThreshold + " (expected 0 <= initial <= max, threshold >= 1)");
        }
        this.initial = initial;
        this.max = max;
        this.window = window;
        this.loopThreshold = loopThreshold;
    }

    /** The default: 100 ms, doubling to 30 s, five crashes in a minute is a loop. */
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(1), 5);
    }

    /** Records a crash of worker {@code index} at {@code nowNanos} and returns the delay before restarting it. */
    public synchronized Duration next(int index, long nowNanos) {
        Deque<Long> recent = crashes.computeIfAbsent(index, i -> new ArrayDeque<>());
        recent.addLast(nowNanos);
        while (!recent.isEmpty() && nowNanos - recent.peekFirst() > window.toNanos()) {
            recent.removeFirst();
        }
        long delay = initial.toMillis() << Math.min(recent.size() - 1, 20);
        return Duration.ofMillis(Math.min(delay, max.toMillis()));
    }

    /** True when worker {@code index} crashed at least the threshold number of times within the window. */
    public synchronized boolean crashLooping(int index) {
        Deque<Long> recent = crashes.get(index);
        return recent != null && recent.size() >= loopThreshold;
    }
}
