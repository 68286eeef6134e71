package dev.sluice.balancer.stick;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Every stick table of a running configuration, by name (the name of the proxy that declares it). */
public final class StickTables {

    public static final StickTables NONE = new StickTables(List.of(), () -> 0L);

    private final Map<String, StickTable> byName = new LinkedHashMap<>();

    public StickTables(List<TableSpec> specs, LongSupplier clock) {
        for (TableSpec spec : specs) {
            if (byName.putIfAbsent(spec.name(), new StickTable(spec, clock)) != null) {
                throw new IllegalArgumentException("stick-table " + spec.name() + ": declared twice");
            }
        }
    }

    public StickTables(List<TableSpec> specs) {
        this(specs, TableClock.SYSTEM);
    }

    /** The table called {@code name}, or null. */
    public StickTable get(String name) {
        return byName.get(name);
    }

    /** Every table, in configuration order. */
    public List<StickTable> all() {
        return new ArrayList<>(byName.values());
    }

    /** Drops expired entries of every table. */
    public void sweep() {
        for (StickTable table : byName.values()) {
            table.sweep();
        }
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
