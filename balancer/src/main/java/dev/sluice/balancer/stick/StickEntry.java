package dev.sluice.balancer.stick;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The data of one key of a {@link StickTable}. Connections on any event loop update it; each entry
 * has its own lock (held for a few arithmetic steps), so two clients never contend unless they are
 * the same key, and the table itself takes no lock on this path. An entry tracked by a connection
 * ({@link #references()} &gt; 0) is neither expired nor purged, as in HAProxy.
 */
public final class StickEntry {

    private final Object key;
    private final StickTable table;
    private final long[] counters;
    private final FreqCounter[] rates;
    private final AtomicInteger references = new AtomicInteger();
    /** When the entry was last updated, in the table's milliseconds: expiry and purge order. */
    private volatile long touched;
    /** 1 while the entry waits in the peers' push queue, so that it is queued once however often it changes. */
    private volatile int pushPending;
    private static final AtomicIntegerFieldUpdater<StickEntry> PUSH_PENDING =
            AtomicIntegerFieldUpdater.newUpdater(StickEntry.class, "pushPending");

    StickEntry(Object key, StickTable table, long now) {
        this.key = key;
        this.table = table;
        this.counters = new long[table.layout().counters()];
        this.rates = new FreqCounter[table.layout().rates()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = new FreqCounter();
        }
        this.touched = now;
    }

    /** The key: an {@code IpAddress}, a {@code Long} or a {@code String} depending on the table type. */
    public Object key() {
        return key;
    }

    public StickTable table() {
        return table;
    }

    /**
     * Adds {@code amount} to a counter or {@code amount} events to a rate, and refreshes the entry's
     * expiry. Data the table does not store is ignored, as HAProxy ignores it.
     */
    public void add(StickData data, long amount) {
        long now = table.now();
        int slot = table.layout().slot(data);
        if (slot >= 0) {
            synchronized (this) {
                if (data.rate()) {
                    rates[slot].add(now, table.layout().period(data), amount);
                } else {
                    counters[slot] += amount;
                }
            }
        }
        touched = now;
        table.changed(this);
    }

    /**
     * {@code sc-inc-gpcN} and {@code inc_gpcN}: one more on the counter and on its rate, each if
     * stored.
     */
    public void increment(StickData counter) {
        add(counter, 1);
        StickData rate = counter.incrementRate();
        if (rate != null) {
            add(rate, 1);
        }
    }

    /** Sets a counter ({@code server_id}, {@code gpt0}); ignored when not stored. */
    public void set(StickData data, long value) {
        int slot = table.layout().slot(data);
        if (slot >= 0 && !data.rate()) {
            synchronized (this) {
                counters[slot] = value;
            }
        }
        touched = table.now();
        table.changed(this);
    }

    /** The value of a counter or a rate (events per its period), or -1 when the table does not store it. */
    public long get(StickData data) {
        int slot = table.layout().slot(data);
        if (slot < 0) {
            return -1;
        }
        synchronized (this) {
            return data.rate() ? rates[slot].read(table.now(), table.layout().period(data)) : counters[slot];
        }
    }

    /** Connections tracking this entry now ({@code trackers}). */
    public int references() {
        return references.get();
    }

    void retain() {
        references.incrementAndGet();
    }

    void release() {
        references.decrementAndGet();
        touched = table.now();
    }

    long touched() {
        return touched;
    }

    void touch() {
        touched = table.now();
    }

    /** Marks the entry as waiting to be pushed to peers; false when it already waits. */
    public boolean markPushPending() {
        return pushPending == 0 && PUSH_PENDING.compareAndSet(this, 0, 1);
    }

    /** The push queue took the entry: a change from now on queues it again. */
    public void clearPushPending() {
        pushPending = 0;
    }

    /** Writes a counter learned from a peer: not pushed back (HAProxy pushes local changes only). */
    void setFromPeer(StickData data, long value) {
        int slot = table.layout().slot(data);
        if (slot >= 0 && !data.rate()) {
            synchronized (this) {
                counters[slot] = value;
            }
        }
    }

    /** Writes a rate learned from a peer: its current period started {@code elapsedMs} ago. */
    void setRateFromPeer(StickData data, long elapsedMs, long current, long previous) {
        int slot = table.layout().slot(data);
        if (slot >= 0 && data.rate()) {
            synchronized (this) {
                rates[slot].restore(table.now() - elapsedMs, current, previous);
            }
        }
    }

    /** A rate's state for a peer: how long ago its period started, its current and previous counts. */
    synchronized long[] rateState(StickData data, long[] into) {
        int slot = table.layout().slot(data);
        if (slot < 0 || !data.rate()) {
            return null;
        }
        rates[slot].export(table.now(), into);
        return into;
    }

    /** Sets when the entry was last updated (a peer's update: expiry counts from there). */
    void touchedAt(long at) {
        touched = at;
    }
}
