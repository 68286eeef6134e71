package dev.sluice.balancer.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link AcceptRate} over an injected clock: the sliding-second estimate and the retry spacing. */
class AcceptRateTest {

    private long now = 1_000_000_000L;

    private AcceptRate rate(int perSecond) {
        return new AcceptRate("test", perSecond, () -> now);
    }

    private int admitAll(AcceptRate rate) {
        int admitted = 0;
        while (rate.hasRoom() && admitted < 1_000) {
            rate.count();
            admitted++;
        }
        return admitted;
    }

    @Test
    void aSecondAdmitsItsRateThenRefuses() {
        AcceptRate rate = rate(10);
        assertEquals(10, admitAll(rate));
        assertFalse(rate.hasRoom());
    }

    @Test
    void thePreviousSecondStillWeighsOnTheNext() {
        AcceptRate rate = rate(10);
        admitAll(rate);
        now += TimeUnit.MILLISECONDS.toNanos(1_500); // half of the previous second still counts: 5
        assertEquals(5, admitAll(rate));
        now += TimeUnit.SECONDS.toNanos(3); // long idle: all forgotten
        assertEquals(10, admitAll(rate));
    }

    @Test
    void noLimitAlwaysHasRoom() {
        AcceptRate rate = rate(0);
        assertFalse(rate.limited());
        assertEquals(1_000, admitAll(rate));
    }

    @Test
    void retriesAreSpacedByTheRateWithinBounds() {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(20), rate(50).retryNanos());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), rate(1).retryNanos());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1), rate(1_000_000).retryNanos());
        assertTrue(rate(5).limited());
        assertThrows(IllegalArgumentException.class, () -> rate(-1));
    }
}
