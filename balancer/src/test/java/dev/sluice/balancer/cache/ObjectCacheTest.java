package dev.sluice.balancer.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store: lookups, expiry on an injected clock, eviction of the oldest, size limits and variants. */
class ObjectCacheTest {
    private static final long MB = 1 << 20;

    private long now = 1_000_000_000L;

    private ObjectCache cache(long total, int maxObject, int maxSecondary) {
        return new ObjectCache(new CacheSection("c", total, maxObject, 60, true, maxSecondary), () -> now);
    }

    private CachedObject object(String key, int bodyBytes, long freshSeconds) {
        return object(key, Vary.NONE, bodyBytes, freshSeconds);
    }

    private CachedObject object(String key, Vary variant, int bodyBytes, long freshSeconds) {
        return new CachedObject(key, variant, new DefaultHttpHeaders().add("x", "y"), new byte[bodyBytes], now,
                TimeUnit.SECONDS.toNanos(freshSeconds), 0);
    }

    @Test
    void aStoredObjectIsFoundUntilItExpires() {
        ObjectCache cache = cache(MB, 4096, 10);
        assertTrue(cache.store(object("h/a", 100, 2)));
        assertNotNull(cache.find("h/a", HttpHeaders.EMPTY_HEADERS));
        assertNull(cache.find("h/b", HttpHeaders.EMPTY_HEADERS));
        now += TimeUnit.MILLISECONDS.toNanos(1999);
        assertNotNull(cache.find("h/a", HttpHeaders.EMPTY_HEADERS));
        now += TimeUnit.MILLISECONDS.toNanos(1);
        assertNull(cache.find("h/a", HttpHeaders.EMPTY_HEADERS));
        assertEquals(0, cache.usedBytes(), "an expired object found gives its blocks back");
    }

    @Test
    void objectsLargerThanMaxObjectSizeAreNotStored() {
        ObjectCache cache = cache(MB, 1000, 10);
        assertFalse(cache.store(object("h/big", 1000, 10)), "headers count too");
        assertTrue(cache.store(object("h/small", 900, 10)));
    }

    @Test
    void theOldestObjectsGoWhenSpaceRunsOut() {
        ObjectCache cache = cache(4 * ObjectCache.BLOCK_BYTES, 2 * ObjectCache.BLOCK_BYTES, 10);
        for (int i = 0; i < 6; i++) {
            assertTrue(cache.store(object("h/" + i, 1500, 60))); // two blocks each
        }
        assertEquals(4 * ObjectCache.BLOCK_BYTES, cache.usedBytes());
        assertEquals(2, cache.size());
        assertNull(cache.find("h/3", HttpHeaders.EMPTY_HEADERS));
        assertNotNull(cache.find("h/4", HttpHeaders.EMPTY_HEADERS));
        assertNotNull(cache.find("h/5", HttpHeaders.EMPTY_HEADERS));
    }

    @Test
    void storingAgainReplacesAndDropsTheOldBody() {
        ObjectCache cache = cache(MB, 4096, 10);
        CachedObject first = object("h/a", 10, 60);
        cache.store(first);
        CachedObject second = object("h/a", 20, 60);
        cache.store(second);
        assertNull(first.body(), "the replaced object's bytes are let go");
        assertEquals(1, cache.size());
        assertArrayEquals(new byte[20], cache.find("h/a", HttpHeaders.EMPTY_HEADERS).body());
        assertEquals(ObjectCache.BLOCK_BYTES, cache.usedBytes());
    }

    @Test
    void variantsAreKeptApartAndBoundedByMaxSecondaryEntries() {
        ObjectCache cache = cache(MB, 4096, 2);
        List<String> vary = List.of("accept-encoding");
        HttpHeaders none = new DefaultHttpHeaders();
        assertTrue(cache.store(object("h/v", Vary.of(vary, none, new DefaultHttpHeaders().add("content-encoding", "gzip")),
                10, 60)));
        assertTrue(cache.store(object("h/v", Vary.of(vary, none, none), 20, 60)));
        assertFalse(cache.store(object("h/v", Vary.of(vary, none, new DefaultHttpHeaders().add("content-encoding", "br")),
                30, 60)), "max-secondary-entries 2");
        assertEquals(10, cache.find("h/v", new DefaultHttpHeaders().add("Accept-Encoding", "GZIP;q=1")).body().length);
        assertEquals(20, cache.find("h/v", new DefaultHttpHeaders().add("Accept-Encoding", "br")).body().length);
        assertEquals(10, cache.find("h/v", none).body().length, "no Accept-Encoding takes the first variant");
        assertNull(cache.find("h/v", new DefaultHttpHeaders().add("Accept-Encoding", "br, identity;q=0")));
    }
}
