package dev.sluice.balancer.check;

import java.util.random.RandomGenerator;

/**
 * HAProxy's {@code spread-checks}: each interval between two checks of a server is moved by a
 * random amount within ± {@code percent} of it, so servers checked at the same interval drift
 * apart instead of being probed in lockstep.
 *
 * @param percent 0 (exact intervals) to 50
 */
public record CheckSpread(int percent) {

    public static final int MAX_PERCENT = 50;
    public static final CheckSpread NONE = new CheckSpread(0);

    public CheckSpread {
        if (percent < 0 || percent > MAX_PERCENT) {
            throw new IllegalArgumentException("percent: " + percent + " (expected: 0.." + MAX_PERCENT + ")");
        }
    }

    /** {@code intervalMillis} moved by up to ± percent, drawn from {@code random}; never below 1 ms. */
    public long next(long intervalMillis, RandomGenerator random) {
        if (percent == 0 || intervalMillis <= 0) {
            return intervalMillis;
        }
        long span = intervalMillis * percent / 100;
        return Math.max(1, intervalMillis - span + random.nextLong(2 * span + 1));
    }
}
