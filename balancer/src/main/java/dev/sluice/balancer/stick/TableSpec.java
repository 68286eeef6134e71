package dev.sluice.balancer.stick;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code stick-table} line, validated: the table takes its proxy's name.
 *
 * @param keyLength bytes kept of a string key ({@code len}); 0 for other types
 * @param size      most entries at once ({@code size}); a new key beyond it purges the oldest
 *                  untracked entries, or is refused with {@code nopurge}
 * @param expire    how long an untracked entry lives after its last update; zero: never expires
 * @param store     the data kept per key, a rate mapped to its period in milliseconds, a counter to 0
 * @param peers     the {@code peers} section the table is shared with ({@code peers NAME}), if any
 */
public record TableSpec(String name, KeyType type, int keyLength, int size, Duration expire, boolean nopurge,
                        Map<StickData, Long> store, java.util.Optional<String> peers) {

    /** A table kept by this process alone. */
    public TableSpec(String name, KeyType type, int keyLength, int size, Duration expire, boolean nopurge,
                     Map<StickData, Long> store) {
        this(name, type, keyLength, size, expire, nopurge, store, java.util.Optional.empty());
    }

    /** A bound on {@code size}: entries are preallocated nowhere, but a typo of ten zeros should not pass. */
    public static final int MAX_SIZE = 1 << 28;

    public TableSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(expire, "expire");
        Objects.requireNonNull(peers, "peers");
        if (size <= 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("stick-table " + name + ": size " + size + " (expected: 1.."
                    + MAX_SIZE + ")");
        }
        if (type == KeyType.STRING ? keyLength <= 0 : keyLength != 0) {
            throw new IllegalArgumentException("stick-table " + name + ": len " + keyLength + " (expected: > 0 for "
                    + "string keys only)");
        }
        EnumMap<StickData, Long> copy = new EnumMap<>(StickData.class);
        for (Map.Entry<StickData, Long> e : store.entrySet()) {
            long period = Objects.requireNonNull(e.getValue(), "period");
            if (e.getKey().rate() ? period <= 0 : period != 0) {
                throw new IllegalArgumentException("stick-table " + name + ": " + e.getKey().keyword() + " period "
                        + period + " (expected: > 0 for rates, 0 for counters)");
            }
            copy.put(e.getKey(), period);
        }
        store = Collections.unmodifiableMap(copy);
    }

    public boolean stores(StickData data) {
        return store.containsKey(data);
    }

    /** The same table shared with the {@code peers} section {@code section}. */
    public TableSpec withPeers(String section) {
        return new TableSpec(name, type, keyLength, size, expire, nopurge, store, java.util.Optional.of(section));
    }
}
