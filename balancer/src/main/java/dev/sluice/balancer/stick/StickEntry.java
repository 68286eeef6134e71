package dev.sluice.balancer.stick;

import java.util.concurrent.atomic.AtomicInteger;

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
}
