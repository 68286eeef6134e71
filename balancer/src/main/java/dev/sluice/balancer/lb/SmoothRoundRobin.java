package dev.sluice.balancer.lb;

/**
 * {@code roundrobin}: smooth weighted round robin. Every pick each eligible server earns its weight in credit,
 * the richest (first declared on a tie) is chosen and pays the total earned; weights 5, 1, 1 give
 * {@code a a b a c a a}, spreading the light servers instead of bunching them.
 *
 * <p>Full servers sit the round out; tried servers too, unless nobody else can serve. A weight change takes
 * a new {@link ServerSet}; passing the old balancer carries each server's credit over, so the cycle goes on.
 *
 * <p>One instance per event loop. Each loop's sequence is exact, so after n picks on a loop every server is
 * within one pick of its share; over k loops the backend is within k picks, whatever the interleaving.
 */
final class SmoothRoundRobin implements LoadBalancer {
    private final ServerSet servers;
    private final Candidate[] members;
    private final int[] credit;

    SmoothRoundRobin(ServerSet servers, SmoothRoundRobin previous) {
        this.servers = servers;
        this.members = servers.members();
        this.credit = new int[members.length];
        if (previous != null) {
            carryOver(previous);
        }
    }

    private void carryOver(SmoothRoundRobin previous) {
        int total = 0;
        for (Candidate c : members) {
            total += c.weight();
        }
        for (int m = 0; m < members.length; m++) {
            for (int p = 0; p < previous.members.length; p++) {
                if (previous.members[p].id() == members[m].id()) {
                    // clamp: a credit earned under larger weights must not starve the others for long
                    credit[m] = Math.clamp(previous.credit[p], -total, total);
                    break;
                }
            }
        }
    }

    @Override
    public Candidate pick(PickContext context) {
        int best = -1;
        int avoidedFallback = -1;
        int earned = 0;
        for (int m = 0; m < members.length; m++) {
            Candidate c = members[m];
            if (c.load().isFull()) {
                continue;
            }
            if (context.hasAvoided() && context.isAvoided(c)) {
                if (avoidedFallback < 0) {
                    avoidedFallback = m;
                }
                continue;
            }
            credit[m] += c.weight();
            earned += c.weight();
            if (best < 0 || credit[m] > credit[best]) {
                best = m;
            }
        }
        if (best >= 0) {
            credit[best] -= earned;
            return members[best];
        }
        return avoidedFallback >= 0 ? members[avoidedFallback] : null;
    }

    @Override
    public ServerSet servers() {
        return servers;
    }
}
