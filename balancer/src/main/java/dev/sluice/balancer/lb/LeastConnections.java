package dev.sluice.balancer.lb;

/**
 * {@code leastconn}: the server with the fewest requests (served plus queued) per unit of weight; full
 * servers are skipped and a tried server is taken only when no other has room. Loads are compared exactly
 * (cross-multiplied), and the scan starts just after the last choice, so servers of equal load take turns.
 *
 * <p>The scan is O(n) over a snapshot array reading live counters: no tree to keep in step with every
 * connection start and end, no lock, and for the tens of servers of a backend it costs less than a tree
 * update would.
 */
final class LeastConnections implements LoadBalancer {
    private final ServerSet servers;
    private final Candidate[] members;
    private int last = -1;

    LeastConnections(ServerSet servers) {
        this.servers = servers;
        this.members = servers.members();
    }

    @Override
    public Candidate pick(PickContext context) {
        int n = members.length;
        int best = -1;
        long bestLoad = 0;
        int avoidedBest = -1;
        long avoidedLoad = 0;
        int start = last + 1 == n ? 0 : last + 1;
        for (int i = 0; i < n; i++) {
            int m = start + i < n ? start + i : start + i - n;
            Candidate c = members[m];
            ServerLoad load = c.load();
            if (load.isFull()) {
                continue;
            }
            long current = (long) load.served() + load.queued();
            if (context.hasAvoided() && context.isAvoided(c)) {
                if (avoidedBest < 0 || lighter(current, c, avoidedLoad, members[avoidedBest])) {
                    avoidedBest = m;
                    avoidedLoad = current;
                }
                continue;
            }
            if (best < 0 || lighter(current, c, bestLoad, members[best])) {
                best = m;
                bestLoad = current;
            }
        }
        if (best < 0) {
            best = avoidedBest;
        }
        if (best < 0) {
            return null;
        }
        last = best;
        return members[best];
    }

    /** load/weight of a below that of b, without division. */
    private static boolean lighter(long loadA, Candidate a, long loadB, Candidate b) {
        return loadA * b.weight() < loadB * a.weight();
    }

    @Override
    public ServerSet servers() {
        return servers;
    }
}
