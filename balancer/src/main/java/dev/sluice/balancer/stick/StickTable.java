package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A stick table at run time: keys to {@link StickEntry}s, shared by every event loop. Looking up
 * or updating an existing key takes no table-wide lock (a concurrent map, then the entry's own
 * lock). Memory is bounded by {@code size}: when a new key finds the table full, the oldest
 * untracked entries are purged in a batch ({@code size/256 + 1}, as HAProxy does) under a lock that
 * only that path takes; with {@code nopurge} the new key is refused instead. Untracked entries
 * expire {@code expire} after their last update; expired entries are dropped when met and by
 * {@link #sweep()}.
 *
 * <p>Finding the oldest entries must not cost a walk of the table: a source-rotating client would
 * otherwise make every new key pay for all of them (measured: 17 µs per request at 1,000,000
 * clients for a {@code size 100k} table). Keys are queued in creation order and the purge takes
 * them from the head, giving a second turn to an entry updated since it was queued or tracked by a
 * connection (the "clock" approximation of least-recently-updated): a batch costs about its own
 * size, whatever the table's.
 */
public final class StickTable {

    private final TableSpec spec;
    private final Layout layout;
    private final LongSupplier clock;
    private final long expireMs;
    private final ConcurrentHashMap<Object, StickEntry> entries;
    private final AtomicInteger count = new AtomicInteger();
    private final ReentrantLock purging = new ReentrantLock();
    /** Entries in creation (or second-turn) order; nodes of entries already gone are skipped. */
    private final ConcurrentLinkedQueue<Queued> order = new ConcurrentLinkedQueue<>();
    /** Nodes in {@link #order}, live or not: compaction runs when the dead ones outnumber the live. */
    private final AtomicInteger queued = new AtomicInteger();

    /** Who hears of local changes: the peers' push queue; null when the table is not shared. */
    private volatile java.util.function.Consumer<StickEntry> changes;

    /** An entry and when it was queued: updated after that, it gets a second turn. */
    private record Queued(StickEntry entry, long at) {
    }

    /** @param clock milliseconds from any origin, never going back; tests pass a fake one */
    public StickTable(TableSpec spec, LongSupplier clock) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.layout = new Layout(spec);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.expireMs = spec.expire().toMillis();
        this.entries = new ConcurrentHashMap<>(Math.min(spec.size(), 1 << 16));
    }

    /** A table on the monotonic system clock. */
    public StickTable(TableSpec spec) {
        this(spec, TableClock.SYSTEM);
    }

    public String name() {
        return spec.name();
    }

    public TableSpec spec() {
        return spec;
    }

    /**
     * Sets who hears of every local change of an entry (the peers of a {@code peers} section); changes
     * learned from peers are not reported, so they are never pushed back.
     */
    public void onChange(java.util.function.Consumer<StickEntry> listener) {
        this.changes = listener;
    }

    void changed(StickEntry entry) {
        var listener = changes;
        if (listener != null) {
            listener.accept(entry);
        }
    }

    Layout layout() {
        return layout;
    }

    long now() {
        return clock.getAsLong();
    }

    /** Entries in use: {@code table_cnt}. */
    public int count() {
        return count.get();
    }

    /** Free entries: {@code table_avl}. */
    public int available() {
        return Math.max(0, spec.size() - count.get());
    }

    /**
     * The table's form of a sample: an IPv4 address for {@code ip} (IPv6 only when it carries an
     * IPv4 one), an IPv6 address for {@code ipv6} (IPv4 mapped), a {@code Long} for {@code integer},
     * a string cut to {@code len} for {@code string}; null when the sample does not fit the type.
     */
    public Object key(IpAddress address) {
        if (address == null) {
            return null;
        }
        return switch (spec.type()) {
            case IP -> address.asV4();
            case IPV6 -> address.v4() ? IpAddress.ofV6(address.hi(), address.lo()) : address;
            case INTEGER -> address.v4() ? (Object) (long) (address.v4Bits() & 0xffff_ffffL) : null;
            case STRING -> key(address.toString());
        };
    }

    /** See {@link #key(IpAddress)}. */
    public Object key(long value) {
        return switch (spec.type()) {
            case INTEGER -> value;
            case STRING -> key(Long.toString(value));
            case IP -> value >= 0 && value <= 0xffff_ffffL ? IpAddress.ofV4((int) value) : null;
            case IPV6 -> null;
        };
    }

    /** See {@link #key(IpAddress)}. */
    public Object key(String value) {
        if (value == null) {
            return null;
        }
        return switch (spec.type()) {
            case STRING -> value.length() > spec.keyLength() ? value.substring(0, spec.keyLength()) : value;
            case INTEGER -> {
                try {
                    yield Long.parseLong(value);
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case IP, IPV6 -> key(IpAddress.parse(value));
        };
    }

    /** The live entry of {@code key}, or null (an expired one is dropped). Never creates. */
    public StickEntry lookup(Object key) {
        if (key == null) {
            return null;
        }
        StickEntry entry = entries.get(key);
        if (entry != null && expired(entry, now())) {
            remove(entry);
            return null;
        }
        return entry;
    }

    /** The entry of {@code key}, created when absent; null when the table is full and cannot purge. */
    public StickEntry lookupOrCreate(Object key) {
        StickEntry entry = lookup(key);
        if (entry != null || key == null) {
            return entry;
        }
        if (!reserve()) {
            return null;
        }
        long now = now();
        StickEntry fresh = new StickEntry(key, this, now);
        StickEntry raced = entries.putIfAbsent(key, fresh);
        if (raced != null) {
            count.decrementAndGet();
            return raced;
        }
        enqueue(fresh, now);
        return fresh;
    }

    /** The live entries (expired ones skipped), for the runtime API; a weakly consistent walk. */
    public List<StickEntry> liveEntries() {
        long now = now();
        List<StickEntry> live = new ArrayList<>();
        for (StickEntry entry : entries.values()) {
            if (!expired(entry, now)) {
                live.add(entry);
            }
        }
        return live;
    }

    /** Milliseconds until {@code entry} expires if nothing updates it; -1 when the table never expires entries. */
    public long expiresInMillis(StickEntry entry) {
        return expireMs == 0 ? -1 : Math.max(0, expireMs - (now() - entry.touched()));
    }

    /**
     * Removes {@code entry} unless a connection tracks it (HAProxy's {@code clear table} leaves those);
     * true when it went.
     */
    public boolean clear(StickEntry entry) {
        return entry.references() == 0 && remove(entry);
    }

    /** Whether the entry is still the table's own (not expired and dropped, nor purged). */
    boolean holds(StickEntry entry) {
        return entries.get(entry.key()) == entry;
    }

    /**
     * Takes the live entries of {@code old} (the same table before a reload) when their keys are of the
     * same type and length: every data type both store, and when each was last updated. Entries that do
     * not fit (the table is full) are left out.
     */
    public void carryOver(StickTable old) {
        if (old.spec.type() != spec.type() || old.spec.keyLength() != spec.keyLength()) {
            return;
        }
        long[] rate = new long[3];
        for (StickEntry from : old.liveEntries()) {
            StickEntry to = lookupOrCreate(from.key());
            if (to == null) {
                return;
            }
            for (StickData data : spec.store().keySet()) {
                if (!old.spec.stores(data)) {
                    continue;
                }
                if (data.rate()) {
                    from.rateState(data, rate);
                    to.setRateFromPeer(data, rate[0], rate[1], rate[2]);
                } else {
                    to.setFromPeer(data, from.get(data));
                }
            }
            to.touchedAt(from.touched());
        }
    }

    /** Drops every expired untracked entry; the engine calls it periodically. Returns how many went. */
    public int sweep() {
        int dropped = 0;
        if (expireMs > 0) {
            long now = now();
            for (StickEntry entry : entries.values()) {
                if (expired(entry, now) && remove(entry)) {
                    dropped++;
                }
            }
        }
        compactIfMostlyDead();
        return dropped;
    }

    private boolean expired(StickEntry entry, long now) {
        return expireMs > 0 && entry.references() == 0 && now - entry.touched() >= expireMs;
    }

    private boolean remove(StickEntry entry) {
        if (entries.remove(entry.key(), entry)) {
            count.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Takes room for one new entry, purging once when the table is full. */
    private boolean reserve() {
        boolean purged = false;
        while (true) {
            int now = count.get();
            if (now < spec.size()) {
                if (count.compareAndSet(now, now + 1)) {
                    return true;
                }
                continue;
            }
            if (spec.nopurge() || purged) {
                return false;
            }
            purge();
            purged = true;
        }
    }

    /**
     * Drops the {@code size/256 + 1} least recently updated untracked entries, approximately (see the
     * class comment). Each node is visited at most twice per purge unless updated in between, so the
     * loop ends; when every entry is tracked nothing can go and the new key is refused.
     */
    private void purge() {
        purging.lock();
        try {
            if (count.get() < spec.size()) {
                return;
            }
            int batch = (spec.size() >> 8) + 1;
            int removed = 0;
            long visits = 2L * queued.get() + batch;
            long now = now();
            while (removed < batch && visits-- > 0) {
                Queued head = order.poll();
                if (head == null) {
                    break;
                }
                queued.decrementAndGet();
                StickEntry entry = head.entry();
                if (!holds(entry)) {
                    continue; // already expired, cleared or purged
                }
                if (entry.references() > 0 || entry.touched() > head.at()) {
                    enqueue(entry, now); // tracked or updated since queued: a second turn
                    continue;
                }
                if (remove(entry)) {
                    removed++;
                }
            }
        } finally {
            purging.unlock();
        }
    }

    /** Nodes in the purge queue, live or dead (tests). */
    int queuedNodes() {
        return queued.get();
    }

    private void enqueue(StickEntry entry, long now) {
        order.add(new Queued(entry, now));
        queued.incrementAndGet();
    }

    /** Expiry and {@code clear table} leave nodes behind; drop them once they outnumber the live ones. */
    private void compactIfMostlyDead() {
        if (queued.get() <= 2 * count.get() + 1_024) {
            return;
        }
        purging.lock();
        try {
            for (java.util.Iterator<Queued> it = order.iterator(); it.hasNext(); ) {
                if (!holds(it.next().entry())) {
                    it.remove();
                    queued.decrementAndGet();
                }
            }
        } finally {
            purging.unlock();
        }
    }
}
