package dev.sluice.terminator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void delayDoublesWhileCrashesStayInTheWindow() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(60), 3);
        assertEquals(Duration.ofMillis(100), backoff.next(0, 0));
        assertEquals(Duration.ofMillis(200), backoff.next(0, SECOND));
        assertFalse(backoff.crashLooping(0));
        assertEquals(Duration.ofMillis(400), backoff.next(0, 2 * SECOND));
        assertTrue(backoff.crashLooping(0));
        assertEquals(Duration.ofMillis(500), backoff.next(0, 3 * SECOND), "capped at max");
    }

    @Test
    void oldCrashesLeaveTheWindowAndWorkersAreIndependent() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(60), 3);
        backoff.next(0, 0);
        backoff.next(0, SECOND);
        assertEquals(Duration.ofMillis(100), backoff.next(1, SECOND), "worker 1 has its own history");
        assertEquals(Duration.ofMillis(100), backoff.next(0, 200 * SECOND), "crashes older than the window are forgotten");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(60), 3));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), 0));
    }
}
