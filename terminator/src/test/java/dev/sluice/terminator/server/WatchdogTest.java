package dev.sluice.terminator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sd_watchdog_enabled(3)'s rules for WATCHDOG_USEC and WATCHDOG_PID. */
class WatchdogTest {
    private static final long PID = 4242;

    @Test
    void pingsAtHalfTheInterval() {
        assertEquals(Duration.ofSeconds(15), Watchdog.period(Map.of("WATCHDOG_USEC", "30000000"), PID));
    }

    @Test
    void noVariableNoWatchdog() {
        assertNull(Watchdog.period(Map.of(), PID));
        assertNull(Watchdog.period(Map.of("WATCHDOG_USEC", ""), PID));
        assertNull(Watchdog.period(Map.of("WATCHDOG_USEC", "0"), PID));
    }

    @Test
    void anotherProcessesWatchdogIsNotOurs() {
        assertNull(Watchdog.period(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "1"), PID));
        assertEquals(Duration.ofMillis(500),
                     Watchdog.period(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", Long.toString(PID)), PID));
    }

    @Test
    void garbageIsIgnoredNotThrown() {
        assertNull(Watchdog.period(Map.of("WATCHDOG_USEC", "soon"), PID));
        assertNull(Watchdog.period(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "me"), PID));
    }

    @Test
    void tinyIntervalsAreClamped() {
        assertEquals(Duration.ofMillis(10), Watchdog.period(Map.of("WATCHDOG_USEC", "2"), PID));
    }
}
