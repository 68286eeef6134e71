package dev.sluice.balancer.lb;

import java.util.Objects;

/**
 * A server as the algorithms see it at one moment: its fixed identity and the state the health checks and
 * the admin gave it. A change of weight or state makes a new {@link ServerSet}; the live load is read
 * through {@link #load()}.
 *
 * @param id      HAProxy's {@code puid}: the explicit {@code id N}, else as {@link ServerIds#assign} gives;
 *                consistent hashing places the server on the ring by it, so it must be the same everywhere
 * @param name    the server's name, for logs
 * @param weight  the effective user weight, 0 to {@value #MAX_WEIGHT} ({@code weight}, after slowstart,
 *                {@code set weight} and agent changes); 0 takes the server out of balancing
 * @param backup  a {@code backup} server, used only when no active server is usable
 * @param usable  up and accepting new traffic (not down, not in maintenance, not draining)
 * @param load    the live load of the server
 */
public record Candidate(int id, String name, int weight, boolean backup, boolean usable, ServerLoad load) {
    /** HAProxy's highest server weight. */
    public static final int MAX_WEIGHT = 256;

    public Candidate {
        if (id < 1) {
            throw new IllegalArgumentException("id: " + id + " (expected: >= 1)");
        }
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: empty (expected: a server name)");
        }
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 0.." + MAX_WEIGHT + ")");
        }
        Objects.requireNonNull(load, "load");
    }

    /** An active, usable server with its own fresh counters. */
    public static Candidate of(int id, String name, int weight) {
        return new Candidate(id, name, weight, false, true, new LoadCounters());
    }

    /** Whether the algorithms may choose it at all (usable with a non-zero weight). */
    public boolean selectable() {
        return usable && weight > 0;
    }

    public Candidate withWeight(int newWeight) {
        return new Candidate(id, name, newWeight, backup, usable, load);
    }

    public Candidate withUsable(boolean newUsable) {
        return new Candidate(id, name, weight, backup, newUsable, load);
    }

    public Candidate asBackup() {
        return new Candidate(id, name, weight, true, usable, load);
    }

    @Override
    public String toString() {
        return name + "#" + id + "(w" + weight + (backup ? ",backup" : "") + (usable ? "" : ",unusable") + ")";
    }
}
