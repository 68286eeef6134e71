package dev.sluice.balancer.lb;

import java.util.random.RandomGenerator;

/**
 * {@code random(draws)}: each draw looks a random number up on the consistent-hash ring (so weights count and
 * bounded load applies) and the least loaded of the draws, relative to weight, wins; two draws is the power
 * of two choices. If the winner is full the request waits in the backend's queue (null), as in HAProxy.
 */
final class RandomChoices implements LoadBalancer {
    private final ServerSet servers;
    private final ConsistentRing ring;
    private final int draws;
    private final int factor;
    private final RandomGenerator random;

    RandomChoices(ServerSet servers, int draws, RandomGenerator random) {
        this.servers = servers;
        this.ring = servers.ring();
        this.draws = draws;
        this.factor = servers.balance().hashBalanceFactor();
        this.random = random;
    }

    @Override
    public Candidate pick(PickContext context) {
        if (ring.size() == 0) {
            return null;
        }
        Candidate chosen = null;
        for (int d = 0; d < draws; d++) {
            Candidate drawn = ring.select(random.nextInt(), context, servers, factor);
            if (chosen == null || drawn != chosen && !busier(drawn, chosen)) {
                chosen = drawn;
            }
        }
        return chosen.load().isFull() ? null : chosen;
    }

    /** served/weight of a above that of b. */
    private static boolean busier(Candidate a, Candidate b) {
        return (long) a.load().served() * b.weight() > (long) b.load().served() * a.weight();
    }

    @Override
    public ServerSet servers() {
        return servers;
    }
}
