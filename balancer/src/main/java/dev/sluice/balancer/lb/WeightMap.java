package dev.sluice.balancer.lb;

/**
 * HAProxy's server map for {@code static-rr} and {@code hash-type map-based}: a table where each server in use
 * appears as often as its weight divided by the common divisor of all configured weights, interleaved the way
 * HAProxy interleaves them, so that {@code hash % size} and a walk in turn pick what HAProxy picks.
 *
 * <p>Each slot goes to the server whose accumulated credit, in units of the table size, is highest; the
 * first declared wins a tie; the winner pays one table size. Weights 3 and 1 give {@code a a a b}.
 */
final class WeightMap {
    private final Candidate[] table;

    WeightMap(Candidate[] members, int divisor) {
        int total = 0;
        int[] weights = new int[members.length];
        for (int m = 0; m < members.length; m++) {
            weights[m] = (members[m].weight() + divisor - 1) / divisor;
            total += weights[m];
        }
        table = new Candidate[total];
        int[] credit = new int[members.length];
        for (int slot = 0; slot < total; slot++) {
            int best = -1;
            int bestLevel = 0;
            for (int m = 0; m < members.length; m++) {
                if (total == 1) {
                    best = m;
                    break;
                }
                credit[m] += weights[m];
                int level = (credit[m] + total) / total;
                if (best < 0 || level > bestLevel) {
                    bestLevel = level;
                    best = m;
                }
            }
            table[slot] = members[best];
            credit[best] -= total;
        }
    }

    /** The greatest common divisor of the non-zero weights of every configured server (1 if none). */
    static int commonDivisor(Candidate[] all) {
        int divisor = 0;
        for (Candidate c : all) {
            int w = c.weight();
            if (w == 0) {
                continue;
            }
            if (divisor == 0) {
                divisor = w;
                continue;
            }
            while (w != 0) {
                int t = divisor % w;
                divisor = w;
                w = t;
            }
        }
        return divisor == 0 ? 1 : divisor;
    }

    int size() {
        return table.length;
    }

    Candidate at(int slot) {
        return table[slot];
    }

    /** The entry for a hash: the unsigned hash modulo the table size. */
    int slotFor(int hash) {
        return (int) Long.remainderUnsigned(Integer.toUnsignedLong(hash), table.length);
    }
}
