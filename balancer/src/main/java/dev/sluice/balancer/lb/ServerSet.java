package dev.sluice.balancer.lb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * An immutable snapshot of a backend's servers for selection: which servers are in use (the usable active
 * ones, else the first usable backup, else all usable backups with {@code option allbackups}) and the tables
 * the algorithm shares (the consistent-hash ring, the weighted map).
 *
 * <p>Membership is kept apart from selection: a change of weight or state builds a new {@code ServerSet}
 * ({@link #with}) instead of editing this one, so that picking needs no lock. A rebuild costs
 * O(P log P) for the ring, P = 16 &times; the total weight in use, and O(T &times; n) for the map, T = the
 * total of weights over their common divisor: with 50 servers, about 30 &micro;s at weight 1 and 1.5 ms at
 * weight 100 on the 2-CPU test machine (SnapshotBench). Changes are rare (health transitions, slowstart
 * steps), picks are not, so the cost belongs on the change.
 * Because a server's ring points depend only on its id, its weight and their rank, a rebuild yields exactly
 * the ring an in-place update would, so keys move only to or from the server that changed.
 *
 * <p>The tables are shared; the small mutable cursors of the round-robin algorithms are not: take one
 * {@link LoadBalancer} per event loop with {@link #newLoadBalancer}.
 */
public final class ServerSet {
    private final Balance balance;
    private final List<Candidate> servers;
    private final Candidate[] all;
    private final Candidate[] members;
    private final ConsistentRing ring;
    private final WeightMap map;

    ServerSet(Balance balance, List<Candidate> servers) {
        this.balance = Objects.requireNonNull(balance, "balance");
        this.servers = List.copyOf(servers);
        this.all = this.servers.toArray(new Candidate[0]);
        checkUniqueIds(all);
        this.members = inUse(all, balance.allBackups());
        boolean usesRing = balance.algorithm() instanceof Balance.Random
                || balance.algorithm().hashesKey() && balance.hashType().method() == HashType.Method.CONSISTENT;
        boolean usesMap = balance.algorithm() instanceof Balance.StaticRoundRobin
                || balance.algorithm().hashesKey() && balance.hashType().method() == HashType.Method.MAP_BASED;
        this.ring = usesRing ? new ConsistentRing(members) : null;
        this.map = usesMap ? new WeightMap(members, WeightMap.commonDivisor(all)) : null;
    }

    private static void checkUniqueIds(Candidate[] all) {
        Set<Integer> ids = new HashSet<>();
        for (Candidate c : all) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("server " + c.name() + ": id " + c.id() + " is already used");
            }
        }
    }

    private static Candidate[] inUse(Candidate[] all, boolean allBackups) {
        List<Candidate> active = new ArrayList<>();
        List<Candidate> backup = new ArrayList<>();
        for (Candidate c : all) {
            if (c.selectable()) {
                (c.backup() ? backup : active).add(c);
            }
        }
        if (!active.isEmpty()) {
            return active.toArray(new Candidate[0]);
        }
        if (backup.isEmpty() || allBackups) {
            return backup.toArray(new Candidate[0]);
        }
        return new Candidate[] {backup.getFirst()};
    }

    public Balance balance() {
        return balance;
    }

    /** Every server, in declaration order. */
    public List<Candidate> servers() {
        return servers;
    }

    /** The servers the algorithm chooses among now, in declaration order. */
    public List<Candidate> inUse() {
        return List.of(members);
    }

    /** False when no server can be chosen at all (HAProxy answers 503 at once: nothing to queue for). */
    public boolean hasUsableServer() {
        return members.length > 0;
    }

    /** Whether the servers in use are backups (no active server is usable). */
    public boolean usingBackups() {
        return members.length > 0 && members[0].backup();
    }

    /** The same configuration over a new list of servers (a weight, state or membership change). */
    public ServerSet with(List<Candidate> newServers) {
        return new ServerSet(balance, newServers);
    }

    /** A load balancer over this snapshot with its own cursors and random numbers. */
    public LoadBalancer newLoadBalancer() {
        return newLoadBalancer(new SplittableRandom(), null);
    }

    /**
     * A load balancer over this snapshot.
     *
     * @param random   the source of randomness for {@code random} (inject a seeded one in tests)
     * @param previous the balancer this one replaces, or null: smooth round robin carries each server's
     *                 credit over, by id, so that a weight change does not restart the cycle
     */
    public LoadBalancer newLoadBalancer(RandomGenerator random, LoadBalancer previous) {
        Objects.requireNonNull(random, "random");
        return switch (balance.algorithm()) {
            case Balance.RoundRobin r -> new SmoothRoundRobin(this,
                    previous instanceof SmoothRoundRobin p ? p : null);
            case Balance.StaticRoundRobin s -> new StaticRoundRobin(this);
            case Balance.LeastConn l -> new LeastConnections(this);
            case Balance.First f -> new FirstAvailable(this);
            case Balance.Random r -> new RandomChoices(this, r.draws(), random);
            case Balance.Source s -> new HashBalancer(this);
            case Balance.Uri u -> new HashBalancer(this);
            case Balance.UrlParam u -> new HashBalancer(this);
            case Balance.Header h -> new HashBalancer(this);
            case Balance.Hash h -> new HashBalancer(this);
        };
    }

    Candidate[] all() {
        return all;
    }

    Candidate[] members() {
        return members;
    }

    ConsistentRing ring() {
        return ring;
    }

    WeightMap map() {
        return map;
    }

    /** Requests served by the whole backend now (HAProxy's backend {@code served}), for bounded load. */
    int backendServed() {
        int total = 0;
        for (Candidate c : all) {
            total += c.load().served();
        }
        return total;
    }

    @Override
    public String toString() {
        return "ServerSet" + List.of(members) + " of " + servers.size();
    }
}
