package dev.sluice.balancer.stick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.IpAddress;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The table with a fake clock: keys, counters, rates, purge order, nopurge, expiry, tracking. */
class StickTableTest {
    private final AtomicLong clock = new AtomicLong(5_000_000);

    private StickTable table(KeyType type, int size, Duration expire, boolean nopurge) {
        return new StickTable(new TableSpec("t", type, type == KeyType.STRING ? 8 : 0, size, expire, nopurge,
                Map.of(StickData.CONN_CUR, 0L, StickData.CONN_CNT, 0L, StickData.CONN_RATE, 10_000L,
                        StickData.HTTP_REQ_RATE, 10_000L, StickData.HTTP_ERR_CNT, 0L, StickData.GPC0, 0L)),
                clock::get);
    }

    @Test
    void keysTakeTheTableType() {
        IpAddress v4 = IpAddress.parse("192.0.2.7");
        IpAddress mapped = IpAddress.parse("::ffff:192.0.2.7");
        IpAddress v6 = IpAddress.parse("2001:db8::1");
        StickTable ip = table(KeyType.IP, 10, Duration.ZERO, false);
        assertEquals(v4, ip.key(v4));
        assertEquals(v4, ip.key(mapped));
        assertNull(ip.key(v6));
        StickTable ipv6 = table(KeyType.IPV6, 10, Duration.ZERO, false);
        assertEquals(ipv6.key(mapped), ipv6.key(v4));
        assertEquals(v6, ipv6.key(v6));
        StickTable string = table(KeyType.STRING, 10, Duration.ZERO, false);
        assertEquals("abcdefgh", string.key("abcdefghijk"));
        StickTable integer = table(KeyType.INTEGER, 10, Duration.ZERO, false);
        assertEquals(42L, integer.key("42"));
        assertNull(integer.key("x"));
    }

    @Test
    void countersAndRatesAreKeptPerKey() {
        StickTable t = table(KeyType.IP, 10, Duration.ZERO, false);
        StickEntry e = t.lookupOrCreate(t.key(IpAddress.parse("192.0.2.1")));
        e.add(StickData.GPC0, 1);
        e.add(StickData.GPC0, 1);
        e.add(StickData.HTTP_REQ_RATE, 6);
        clock.addAndGet(12_500);
        assertEquals(2, e.get(StickData.GPC0));
        assertEquals(4, e.get(StickData.HTTP_REQ_RATE)); // 6 × 7500 / 10000
        assertEquals(-1, e.get(StickData.BYTES_IN_CNT), "not stored");
        assertSame(e, t.lookup(t.key(IpAddress.parse("192.0.2.1"))));
        assertNull(t.lookup(t.key(IpAddress.parse("192.0.2.2"))));
        assertEquals(1, t.count());
        assertEquals(9, t.available());
    }

    @Test
    void aFullTablePurgesItsOldestUntrackedEntriesInABatch() {
        int size = 512; // a batch is 512/256 + 1 = 3 entries
        StickTable t = table(KeyType.INTEGER, size, Duration.ZERO, false);
        List<StickEntry> entries = new ArrayList<>();
        for (long k = 0; k < size; k++) {
            entries.add(t.lookupOrCreate(k));
            clock.incrementAndGet();
        }
        TrackedCounters holder = new TrackedCounters();
        assertTrue(holder.trackConnection(0, t, 0L), "the oldest key is tracked: it must survive");
        entries.get(5).add(StickData.GPC0, 1); // touched now: young again
        assertNotNull(t.lookupOrCreate(1_000L));
        assertEquals(size - 2, t.count());
        assertNotNull(t.lookup(0L));
        assertNull(t.lookup(1L));
        assertNull(t.lookup(2L));
        assertNull(t.lookup(3L));
        assertNotNull(t.lookup(4L));
        assertNotNull(t.lookup(5L));
    }

    @Test
    void anEntryUpdatedSinceItWasQueuedGetsASecondTurn() {
        int size = 512; // a batch is 3 entries
        StickTable t = table(KeyType.INTEGER, size, Duration.ZERO, false);
        for (long k = 0; k < size; k++) {
            t.lookupOrCreate(k);
            clock.incrementAndGet();
        }
        t.lookup(1L).add(StickData.GPC0, 1); // updated after it was queued
        assertNotNull(t.lookupOrCreate(1_000L));
        assertNull(t.lookup(0L));
        assertNotNull(t.lookup(1L), "updated: requeued, not purged");
        assertNull(t.lookup(2L));
        assertNull(t.lookup(3L));
        assertNotNull(t.lookup(4L));
        // Every key new from now on: each purge takes the next three in order, whatever the size.
        for (long k = 2_000; k < 2_000 + 3 * 100; k += 3) {
            assertNotNull(t.lookupOrCreate(k));
            assertNotNull(t.lookupOrCreate(k + 1));
            assertNotNull(t.lookupOrCreate(k + 2));
        }
        assertTrue(t.count() > size - 3 && t.count() <= size, "a batch at a time: " + t.count());
        assertNotNull(t.lookup(1L), "its second turn has not come yet");
    }

    @Test
    void nodesLeftByExpiredEntriesAreCompacted() {
        StickTable t = table(KeyType.INTEGER, 100_000, Duration.ofSeconds(1), false);
        for (long k = 0; k < 5_000; k++) {
            t.lookupOrCreate(k);
        }
        clock.addAndGet(2_000);
        assertEquals(5_000, t.sweep());
        assertEquals(0, t.count());
        assertEquals(0, t.queuedNodes(), "dead nodes outnumbered the live ones: dropped");
    }

    @Test
    void nopurgeRefusesNewKeysWhenFull() {
        StickTable t = table(KeyType.INTEGER, 2, Duration.ZERO, true);
        assertNotNull(t.lookupOrCreate(1L));
        assertNotNull(t.lookupOrCreate(2L));
        assertNull(t.lookupOrCreate(3L));
        assertNotNull(t.lookupOrCreate(1L), "existing keys are still found");
        assertFalse(new TrackedCounters().trackConnection(0, t, 3L));
    }

    @Test
    void untrackedEntriesExpireAfterTheirLastUpdate() {
        StickTable t = table(KeyType.INTEGER, 10, Duration.ofSeconds(10), false);
        StickEntry e = t.lookupOrCreate(1L);
        t.lookupOrCreate(2L);
        clock.addAndGet(6_000);
        e.add(StickData.GPC0, 1);
        clock.addAndGet(6_000);
        assertNull(t.lookup(2L), "12 s without an update");
        assertSame(e, t.lookup(1L), "updated 6 s ago");
        TrackedCounters holder = new TrackedCounters();
        holder.trackConnection(0, t, 3L);
        clock.addAndGet(60_000);
        assertEquals(1, t.sweep(), "key 1 goes, the tracked key 3 stays");
        assertNotNull(t.lookup(3L));
        holder.close();
        clock.addAndGet(9_999);
        assertNotNull(t.lookup(3L), "expiry counts from the release");
        clock.addAndGet(1);
        assertNull(t.lookup(3L));
        assertEquals(0, t.count());
    }

    @Test
    void trackingCountsConnectionsAndRequests() {
        StickTable t = table(KeyType.IP, 10, Duration.ZERO, false);
        Object key = t.key(IpAddress.parse("192.0.2.9"));
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        assertTrue(Tracking.counters(a).trackConnection(0, t, key));
        assertFalse(Tracking.counters(a).trackConnection(0, t, key), "the first track of a slot wins");
        assertTrue(Tracking.counters(b).trackConnection(1, t, key));
        StickEntry e = t.lookup(key);
        assertEquals(2, e.get(StickData.CONN_CUR));
        assertEquals(2, e.get(StickData.CONN_CNT));
        assertEquals(2, e.get(StickData.CONN_RATE));
        assertEquals(2, e.references());
        Tracking.requestStarted(a);
        Tracking.responseStatus(a, 404);
        Tracking.responseStatus(a, 200);
        assertEquals(1, e.get(StickData.HTTP_REQ_RATE));
        assertEquals(1, e.get(StickData.HTTP_ERR_CNT));
        a.close();
        assertEquals(1, e.get(StickData.CONN_CUR));
        assertEquals(2, e.get(StickData.CONN_CNT));
        b.close();
        assertEquals(0, e.get(StickData.CONN_CUR));
        assertEquals(0, e.references());
    }

    @Test
    void requestTracksEndWithTheRequest() {
        StickTable t = table(KeyType.STRING, 10, Duration.ZERO, false);
        EmbeddedChannel c = new EmbeddedChannel();
        TrackedCounters counters = Tracking.counters(c);
        assertTrue(counters.trackRequest(2, t, "k"));
        StickEntry e = t.lookup("k");
        assertEquals(1, e.get(StickData.HTTP_REQ_RATE), "the request that tracked counts");
        assertEquals(1, e.get(StickData.CONN_CUR));
        assertSame(e, counters.tracked(2));
        Tracking.requestEnded(c);
        assertNull(counters.tracked(2));
        assertEquals(0, e.get(StickData.CONN_CUR));
        assertEquals(1, e.get(StickData.CONN_CNT));
        assertThrows(IllegalArgumentException.class, () -> counters.trackRequest(3, t, "k"));
        c.close();
    }

    @Test
    void concurrentUpdatesLoseNothingAndTheSizeHolds() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        StickTable t = table(KeyType.INTEGER, 64, Duration.ZERO, false);
        StickTable big = table(KeyType.INTEGER, 1_000, Duration.ZERO, false);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int id = w;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    // 500 keys in a 64-entry table: purges run all along.
                    StickEntry churn = t.lookupOrCreate((long) ((i * 7 + id) % 500));
                    if (churn != null) {
                        churn.add(StickData.GPC0, 1);
                    }
                    big.lookupOrCreate((long) (i % 10)).add(StickData.GPC0, 1);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(60_000);
            assertFalse(worker.isAlive());
        }
        assertTrue(t.count() <= 64, "count " + t.count());
        long sum = 0;
        for (long k = 0; k < 10; k++) {
            sum += big.lookup(k).get(StickData.GPC0);
        }
        assertEquals((long) threads * perThread, sum, "every increment of the stable keys counted");
        assertEquals(10, big.count());
    }

    @Test
    void specsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new TableSpec("t", KeyType.IP, 0, 0, Duration.ZERO,
                false, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new TableSpec("t", KeyType.IP, 0, 1, Duration.ZERO,
                false, Map.of(StickData.CONN_RATE, 0L)));
        assertThrows(IllegalArgumentException.class, () -> new TableSpec("t", KeyType.STRING, 0, 1, Duration.ZERO,
                false, Map.of()));
    }
}
