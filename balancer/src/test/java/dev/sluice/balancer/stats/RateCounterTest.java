package dev.sluice.balancer.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** HAProxy's freq_ctr: this second's events plus the last second's, weighted by what remains of this one. */
class RateCounterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void countsWithinTheSecondAndGlidesOverTheNext() {
        RateCounter rate = new RateCounter();
        long start = 100 * SECOND;
        for (int i = 0; i < 10; i++) {
            rate.add(start + i * 1_000_000L);
        }
        assertEquals(10, rate.read(start + SECOND / 2));
        // Half of the next second gone: half of the last second's 10 still count.
        assertEquals(5, rate.read(start + SECOND + SECOND / 2));
        rate.add(start + SECOND + SECOND / 2);
        assertEquals(6, rate.read(start + SECOND + SECOND / 2));
        assertEquals(0, rate.read(start + 5 * SECOND));
        assertEquals(10, rate.max());
    }
}
