package dev.sluice.balancer.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The store of one {@code cache} section, shared by every event loop: objects by their primary key
 * (host and URI), each with its variants when {@code Vary} is processed. Space is counted in 1 kB
 * blocks against {@code total-max-size}; when it runs out the oldest objects go first, fresh or
 * not, as in HAProxy. Lookups take no lock; stores of one key serialize on its map slot.
 */
public final class ObjectCache {
    /** HAProxy's shared cache hands out memory in blocks of this size. */
    public static final int BLOCK_BYTES = 1024;

    private final CacheSection section;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, List<CachedObject>> objects = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<CachedObject> oldestFirst = new ConcurrentLinkedQueue<>();
    private final AtomicLong usedBytes = new AtomicLong();

    public ObjectCache(CacheSection section) {
        this(section, System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds (tests drive it by hand) */
    public ObjectCache(CacheSection section, LongSupplier nanoClock) {
        this.section = Objects.requireNonNull(section, "section");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    public CacheSection section() {
        return section;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /** The fresh object stored for this key that fits these request headers, or null; an expired one goes. */
    public CachedObject find(String primaryKey, io.netty.handler.codec.http.HttpHeaders requestHeaders) {
        List<CachedObject> variants = objects.get(primaryKey);
        if (variants == null) {
            return null;
        }
        for (CachedObject object : variants) {
            if (object.matches(requestHeaders)) {
                if (object.expired(now())) {
                    remove(object);
                    return null;
                }
                return object;
            }
        }
        return null;
    }

    /**
     * Stores {@code object}, replacing the same variant of its key; false when it is larger than
     * {@code max-object-size} or its key already has {@code max-secondary-entries} other variants.
     */
    public boolean store(CachedObject object) {
        if (object.footprint() > section.maxObjectBytes() || object.blockBytes() > section.totalMaxBytes()) {
            return false;
        }
        CachedObject[] replaced = new CachedObject[1];
        boolean[] stored = new boolean[1];
        objects.compute(object.primaryKey(), (key, variants) -> {
            List<CachedObject> next = new ArrayList<>(variants == null ? List.of() : variants);
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).sameVariant(object)) {
                    replaced[0] = next.set(i, object);
                    stored[0] = true;
                    return List.copyOf(next);
                }
            }
            if (next.size() >= section.maxSecondaryEntries()) {
                return variants;
            }
            next.add(object);
            stored[0] = true;
            return List.copyOf(next);
        });
        if (!stored[0]) {
            return false;
        }
        if (replaced[0] != null && replaced[0].leave()) {
            usedBytes.addAndGet(-replaced[0].blockBytes());
        }
        usedBytes.addAndGet(object.blockBytes());
        oldestFirst.add(object);
        while (usedBytes.get() > section.totalMaxBytes()) {
            CachedObject oldest = oldestFirst.poll();
            if (oldest == null) {
                break;
            }
            remove(oldest);
        }
        return true;
    }

    /** The bytes the stored objects take, in whole blocks. */
    public long usedBytes() {
        return usedBytes.get();
    }

    /** The stored objects, fresh or not, for {@code show cache}. */
    public List<CachedObject> objects() {
        List<CachedObject> all = new ArrayList<>();
        objects.values().forEach(all::addAll);
        return all;
    }

    /** Seconds {@code object} stays fresh from now (negative once expired). */
    public long expiresInSeconds(CachedObject object) {
        return object.expiresInSeconds(now());
    }

    /** How many objects (variants included) are stored, fresh or not. */
    public int size() {
        int count = 0;
        for (List<CachedObject> variants : objects.values()) {
            count += variants.size();
        }
        return count;
    }

    private void remove(CachedObject object) {
        if (!object.leave()) {
            return;
        }
        usedBytes.addAndGet(-object.blockBytes());
        objects.computeIfPresent(object.primaryKey(), (key, variants) -> {
            List<CachedObject> next = new ArrayList<>(variants.size());
            for (CachedObject other : variants) {
                if (other != object) {
                    next.add(other);
                }
            }
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }
}
