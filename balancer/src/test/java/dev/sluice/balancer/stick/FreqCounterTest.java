package dev.sluice.balancer.stick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The sliding-window rate against HAProxy's freq_ctr_period arithmetic, worked by hand: rate =
 * current + previous × (time left of the window in the previous period) / period, integer division,
 * and a previous count of 0 or 1 reported whole while the current period is empty.
 */
class FreqCounterTest {
    private static final long PERIOD = 10_000;
    private static final long T0 = 1_000_000;

    @Test
    void firstEventsStartAPeriodAtTheirOwnTime() {
        FreqCounter c = new FreqCounter();
        c.add(T0, PERIOD, 10);
        assertEquals(10, c.read(T0, PERIOD));
        assertEquals(10, c.read(T0 + 5_000, PERIOD));
        // Exactly one period later nothing is left of the past period's weight but the current count moved.
        assertEquals(10, c.read(T0 + PERIOD, PERIOD));
    }

    @Test
    void thePreviousPeriodFadesLinearly() {
        FreqCounter c = new FreqCounter();
        c.add(T0, PERIOD, 10);
        assertEquals(7, c.read(T0 + 12_500, PERIOD)); // 10 × 7500 / 10000 = 7.5 → 7
        assertEquals(5, c.read(T0 + 15_000, PERIOD));
        assertEquals(0, c.read(T0 + 20_000, PERIOD));
        assertEquals(0, c.read(T0 + 20_001, PERIOD));
    }

    @Test
    void newEventsAddToTheWeightedPast() {
        FreqCounter c = new FreqCounter();
        c.add(T0, PERIOD, 10);
        c.add(T0 + 12_500, PERIOD, 4);
        assertEquals(11, c.read(T0 + 12_500, PERIOD)); // 4 + 10 × 7500 / 10000
        assertEquals(4 + 10 * 2_500 / 10_000, c.read(T0 + 17_500, PERIOD));
        assertEquals(4, c.read(T0 + 20_000, PERIOD));
        assertEquals(3, c.read(T0 + 22_500, PERIOD)); // the 4 are the past now: 4 × 7500 / 10000
    }

    @Test
    void twoIdlePeriodsEmptyTheWindow() {
        FreqCounter c = new FreqCounter();
        c.add(T0, PERIOD, 10);
        c.add(T0 + 25_000, PERIOD, 1);
        assertEquals(1, c.read(T0 + 25_000, PERIOD));
        assertEquals(1, c.read(T0 + 34_000, PERIOD));
    }

    @Test
    void aSingleOldEventDoesNotFlap() {
        FreqCounter c = new FreqCounter();
        c.add(T0, PERIOD, 1);
        // 1 × 5000 / 10000 would be 0; HAProxy keeps reporting 1 until the window empties.
        assertEquals(1, c.read(T0 + 15_000, PERIOD));
        assertEquals(0, c.read(T0 + 20_001, PERIOD));
    }

    @Test
    void periodStartsAreEvenMilliseconds() {
        FreqCounter c = new FreqCounter();
        c.add(T0 + 1, PERIOD, 3);
        // The period started at T0 (odd times lose their low bit), so it ends at T0 + PERIOD.
        assertEquals(3, c.read(T0 + PERIOD, PERIOD));
        assertEquals(2, c.read(T0 + PERIOD + 2_500, PERIOD)); // 3 × 7500 / 10000 = 2.25
    }

    @Test
    void theTablesClockStartsFarFromZeroSoAFreshCounterStartsItsOwnPeriod() {
        long now = TableClock.SYSTEM.getAsLong();
        assertTrue(now >= TableClock.START_MS);
        FreqCounter c = new FreqCounter();
        c.add(now, 1_000, 3);
        assertEquals(3, c.read(now + 500, 1_000));
        assertEquals(1, c.read(now + 1_500, 1_000)); // 3 × (500 or 499) / 1000
    }

    @Test
    void aOneSecondRateOfElevenConnections() {
        FreqCounter c = new FreqCounter();
        for (int i = 0; i < 11; i++) {
            c.add(T0 + i * 10L, 1_000, 1);
        }
        assertEquals(11, c.read(T0 + 100, 1_000));
    }
}
