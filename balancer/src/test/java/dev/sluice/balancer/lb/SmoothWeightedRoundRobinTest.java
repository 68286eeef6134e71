package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {

    private static List<Integer> picks(SmoothWeightedRoundRobin rr, int n, java.util.function.IntPredicate eligible) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rr.pick(eligible));
        }
        return out;
    }

    @Test
    void equalWeightsAlternate() {
        assertEquals(List.of(0, 1, 2, 0, 1, 2), picks(new SmoothWeightedRoundRobin(new int[] {1, 1, 1}), 6, i -> true));
    }

    @Test
    void weightsAreSpreadNotBursted() {
        assertEquals(List.of(0, 0, 1, 0, 2, 0, 0), picks(new SmoothWeightedRoundRobin(new int[] {5, 1, 1}), 7, i -> true));
    }

    @Test
    void ineligibleAndZeroWeightAreSkipped() {
        assertEquals(List.of(2, 2, 2), picks(new SmoothWeightedRoundRobin(new int[] {1, 0, 1}), 3, i -> i != 0));
        assertEquals(List.of(-1), picks(new SmoothWeightedRoundRobin(new int[] {1}), 1, i -> false));
    }

    @Test
    void sharesMatchWeightsOverAPeriod() {
        SmoothWeightedRoundRobin rr = new SmoothWeightedRoundRobin(new int[] {3, 2, 1});
        int[] counts = new int[3];
        for (int i = 0; i < 600; i++) {
            counts[rr.pick(x -> true)]++;
        }
        assertEquals(List.of(300, 200, 100), List.of(counts[0], counts[1], counts[2]));
    }
}
