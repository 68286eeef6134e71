package dev.sluice.balancer.lb;

import java.util.Arrays;

/**
 * HAProxy's consistent-hash ring over the servers in use. A server of weight w owns 16 &times; w points (its
 * effective weight at BE_WEIGHT_SCALE 16); point n of the server with id i sits at
 * {@code avalanche(i * 4096 + n)} (4096 = 256 weights &times; 16, so ids never share a point). A hash goes
 * to the nearer of the points just before and just after it, the one before on a tie.
 *
 * <p>Placement depends only on ids and weights, never on order or on a seed: every process and every node
 * given the same ids builds the same ring. Keys are held with the sign bit flipped so that a signed binary
 * search walks them in unsigned order.
 */
final class ConsistentRing {
    /** HAProxy's BE_WEIGHT_SCALE: effective weight units per unit of user weight. */
    static final int POINTS_PER_WEIGHT = 16;
    /** HAProxy's SRV_EWGHT_RANGE: the id stride between two servers' points. */
    static final int ID_STRIDE = Candidate.MAX_WEIGHT * POINTS_PER_WEIGHT;

    private final Candidate[] members;
    private final int[] flippedKeys;
    private final int[] owners;
    private final int[] effectiveWeights;
    private final long[] cumulativeWeights;
    private final long totalWeight;

    ConsistentRing(Candidate[] members) {
        this.members = members;
        int points = 0;
        effectiveWeights = new int[members.length];
        cumulativeWeights = new long[members.length];
        long cumulative = 0;
        for (int m = 0; m < members.length; m++) {
            effectiveWeights[m] = members[m].weight() * POINTS_PER_WEIGHT;
            cumulativeWeights[m] = cumulative;
            cumulative += effectiveWeights[m];
            points += effectiveWeights[m];
        }
        totalWeight = cumulative;
        long[] packed = new long[points];
        int p = 0;
        for (int m = 0; m < members.length; m++) {
            for (int n = 0; n < effectiveWeights[m]; n++) {
                int key = HashFunction.avalanche(members[m].id() * ID_STRIDE + n);
                packed[p++] = ((long) (key ^ Integer.MIN_VALUE) << 32) | m;
            }
        }
        // Equal keys (only with ids of 2^20 and more) stay in declaration order, as HAProxy's tree keeps them.
        Arrays.sort(packed);
        flippedKeys = new int[points];
        owners = new int[points];
        for (int i = 0; i < points; i++) {
            flippedKeys[i] = (int) (packed[i] >> 32);
            owners[i] = (int) packed[i];
        }
    }

    int size() {
        return owners.length;
    }

    int key(int point) {
        return flippedKeys[point] ^ Integer.MIN_VALUE;
    }

    /** The member owning a point. */
    int owner(int point) {
        return owners[point];
    }

    int effectiveWeight(int member) {
        return effectiveWeights[member];
    }

    /** The point nearest {@code hash}; the ring must not be empty. */
    int nearest(int hash) {
        int at = Arrays.binarySearch(flippedKeys, hash ^ Integer.MIN_VALUE);
        if (at >= 0) {
            return at;
        }
        int next = -at - 1;
        if (next == flippedKeys.length) {
            next = 0;
        }
        int prev = next == 0 ? flippedKeys.length - 1 : next - 1;
        int distancePrev = hash - key(prev);
        int distanceNext = key(next) - hash;
        return Integer.compareUnsigned(distancePrev, distanceNext) <= 0 ? prev : next;
    }

    /**
     * The server for a hash: the nearest point's, else, walking the ring onwards, the first that is neither
     * tried ({@link PickContext#avoid}) nor over its bounded load ({@code factor} &gt; 0). When none
     * qualifies, a server over its bound is better than a tried one, and a tried one better than none.
     * Fullness is not considered: the caller queues on the chosen server, as HAProxy does.
     */
    Candidate select(int hash, PickContext context, ServerSet servers, int factor) {
        int first = nearest(hash);
        boolean avoiding = context.hasAvoided();
        if (!avoiding && factor == 0) {
            return members[owners[first]];
        }
        long backendServed = factor == 0 ? 0 : servers.backendServed();
        int point = first;
        for (int step = 0; step < owners.length; step++) {
            int m = owners[point];
            Candidate c = members[m];
            if (!(avoiding && context.isAvoided(c))
                    && (factor == 0 || underBound(m, c.load().served(), backendServed, factor))) {
                return c;
            }
            point = next(point);
        }
        point = first;
        for (int step = 0; step < owners.length; step++) {
            Candidate c = members[owners[point]];
            if (!context.isAvoided(c)) {
                return c;
            }
            point = next(point);
        }
        return members[owners[first]];
    }

    int next(int point) {
        return point + 1 == owners.length ? 0 : point + 1;
    }

    /**
     * HAProxy's bounded-load test (Mirrokni, Thorup and Zadimoghaddam, weighted): a server may take one more
     * request while it serves fewer than its weighted share of {@code factor}% of the backend's requests,
     * the one about to be placed included, with at least one slot each.
     */
    boolean underBound(int member, int served, long backendServed, int factor) {
        long slotsTotal = ((backendServed + 1) * factor + 99) / 100;
        long perWeight = slotsTotal / totalWeight;
        long remainder = slotsTotal % totalWeight;
        long weight = effectiveWeights[member];
        long cumulative = cumulativeWeights[member];
        long slots = weight * perWeight
                + (cumulative + weight) * remainder / totalWeight
                - cumulative * remainder / totalWeight;
        return served < Math.max(slots, 1);
    }
}
