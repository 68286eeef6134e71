package dev.sluice.balancer.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

    @Test
    void refusesBeyondMaxAndWakesWhenRoomReturns() {
        ConnectionLimit limit = new ConnectionLimit("fe", 2);
        AtomicInteger wakes = new AtomicInteger();
        limit.whenRoom(wakes::incrementAndGet);
        assertTrue(limit.tryAcquire());
        assertTrue(limit.tryAcquire());
        assertTrue(limit.full());
        assertFalse(limit.tryAcquire());
        assertEquals(2, limit.current());
        limit.release();
        assertEquals(1, wakes.get());
        limit.release();
        assertEquals(1, wakes.get(), "only the full → not full transition wakes");
    }

    @Test
    void announcesWhenItFills() {
        ConnectionLimit limit = new ConnectionLimit("global", 2);
        AtomicInteger full = new AtomicInteger();
        limit.whenFull(full::incrementAndGet);
        limit.tryAcquire();
        assertEquals(0, full.get());
        limit.tryAcquire();
        assertEquals(1, full.get());
        assertFalse(limit.tryAcquire());
        assertEquals(1, full.get());
    }

    @Test
    void zeroMeansUnlimited() {
        ConnectionLimit limit = new ConnectionLimit("global", 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limit.tryAcquire());
        }
        assertFalse(limit.full());
    }
}
