package dev.sluice.balancer.dispatch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a retry leaves its server, as HAProxy 2.6's stream_choose_redispatch decides (checked against it). */
class RedispatchTest {

    @Test
    void neverWithoutOptionRedispatch() {
        assertFalse(Redispatch.now(false, -1, 3, 3, false, false, true, 2, false));
    }

    @Test
    void atOnceForARoundRobinChoiceAmongSeveralServers() {
        // haproxy 2.6: retry-on 503 + option redispatch + roundrobin: every retry is a redispatch (+1 in %rc).
        assertTrue(Redispatch.now(true, -1, 3, 1, false, true, true, 2, false));
        // ... but not with one active server, nor for a hash, nor for a cookie's (direct) server.
        assertFalse(Redispatch.now(true, -1, 3, 1, false, true, true, 1, false));
        assertFalse(Redispatch.now(true, -1, 3, 1, false, true, true, 2, true));
        assertFalse(Redispatch.now(true, -1, 3, 1, false, true, false, 2, false));
    }

    @Test
    void lastRetryByDefault() {
        assertFalse(Redispatch.now(true, -1, 3, 1, false, true, false, 2, true));
        assertFalse(Redispatch.now(true, -1, 3, 2, false, true, false, 2, true));
        assertTrue(Redispatch.now(true, -1, 3, 3, false, true, false, 2, true));
    }

    @Test
    void interval() {
        // option redispatch 2: every second retry.
        assertFalse(Redispatch.now(true, 2, 4, 1, false, true, false, 2, true));
        assertTrue(Redispatch.now(true, 2, 4, 2, false, true, false, 2, true));
        assertTrue(Redispatch.now(true, 2, 4, 4, false, true, false, 2, true));
        // option redispatch -2 with retries 4: the 3rd retry (4 + 1 - 2).
        assertTrue(Redispatch.now(true, -2, 4, 3, false, true, false, 2, true));
        assertFalse(Redispatch.now(true, -2, 4, 4, false, true, false, 2, true));
        // option redispatch 0 disables it.
        assertFalse(Redispatch.now(true, 0, 3, 3, false, false, true, 2, false));
    }

    @Test
    void aDownServerIsLeftUnlessForced() {
        assertTrue(Redispatch.now(true, -1, 3, 1, false, false, false, 2, true));
        assertFalse(Redispatch.now(true, -1, 3, 1, true, false, false, 2, true));
        assertFalse(Redispatch.now(true, -1, 3, 3, true, true, true, 2, false));
    }
}
