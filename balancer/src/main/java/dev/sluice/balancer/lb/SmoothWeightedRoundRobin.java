package dev.sluice.balancer.lb;

import java.util.function.IntPredicate;

/**
 * Smooth weighted round-robin (the nginx scheme): every pick adds each eligible candidate's weight
 * to its running score, takes the highest score and subtracts the eligible total from it. With
 * weights 5,1,1 the order is a,a,b,a,c,a,a — spread out, never bursts of one server. Pure and
 * single-threaded: one instance per event loop.
 */
public final class SmoothWeightedRoundRobin {
    private final int[] weights;
    private final long[] scores;

    public SmoothWeightedRoundRobin(int[] weights) {
        this.weights = weights.clone();
        this.scores = new long[weights.length];
    }

    /** The index of the next candidate among those {@code eligible} accepts, or -1 if none. */
    public int pick(IntPredicate eligible) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] <= 0 || !eligible.test(i)) {
                continue;
            }
            scores[i] += weights[i];
            total += weights[i];
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            scores[best] -= total;
        }
        return best;
    }
}
