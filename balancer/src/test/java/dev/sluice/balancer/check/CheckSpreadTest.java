package dev.sluice.balancer.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** spread-checks: intervals stay within ± percent and do vary; 0 keeps them exact. */
class CheckSpreadTest {

    @Test
    void noSpreadKeepsTheInterval() {
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(2_000, CheckSpread.NONE.next(2_000, random));
        assertEquals(0, new CheckSpread(50).next(0, random));
    }

    @Test
    void intervalsStayWithinTheirShareAndCoverIt() {
        CheckSpread spread = new CheckSpread(10);
        SplittableRandom random = new SplittableRandom(42);
        Set<Long> seen = new HashSet<>();
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long next = spread.next(2_000, random);
            assertTrue(next >= 1_800 && next <= 2_200, "out of ±10%: " + next);
            seen.add(next);
            low = Math.min(low, next);
            high = Math.max(high, next);
        }
        // 401 possible values, 10,000 draws: both ends are reached and most values appear.
        assertEquals(1_800, low);
        assertEquals(2_200, high);
        assertTrue(seen.size() > 390, "values seen: " + seen.size());
    }

    @Test
    void aTinyIntervalNeverBecomesZero() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(new CheckSpread(50).next(2, random) >= 1);
        }
    }

    @Test
    void percentIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> new CheckSpread(51));
        assertThrows(IllegalArgumentException.class, () -> new CheckSpread(-1));
    }
}
