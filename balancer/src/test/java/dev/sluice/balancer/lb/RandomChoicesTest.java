package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomChoicesTest {

    private static String sequence(ServerSet set, long seed, int picks) {
        return Servers.names(set.newLoadBalancer(new SplittableRandom(seed), null), picks);
    }

    @Test
    void sameSeedSameChoices() {
        ServerSet set = Balance.of(new Balance.Random(2)).snapshot(Servers.weighted(1, 1, 1, 1));
        assertEquals(sequence(set, 42, 50), sequence(set, 42, 50));
    }

    @Test
    void oneDrawFollowsWeights() {
        ServerSet set = Balance.of(new Balance.Random(1)).snapshot(Servers.weighted(1, 3));
        LoadBalancer lb = set.newLoadBalancer(new SplittableRandom(5), null);
        int[] counts = new int[2];
        for (int i = 0; i < 8000; i++) {
            counts[lb.pick(new PickContext()).id() - 1]++;
        }
        // ring shares of 16 and 48 points: near 1/4 and 3/4
        assertTrue(counts[0] > 1400 && counts[0] < 2600, "s1 " + counts[0]);
    }

    @Test
    void twoChoicesKeepLoadsEven() {
        int servers = 8;
        int[] weights = new int[servers];
        java.util.Arrays.fill(weights, 1);
        List<Candidate> farm = Servers.weighted(weights);
        for (int draws : new int[] {1, 2}) {
            farm.forEach(c -> Servers.load(c).setServed(0));
            LoadBalancer lb = Balance.of(new Balance.Random(draws)).snapshot(farm)
                    .newLoadBalancer(new SplittableRandom(9), null);
            for (int i = 0; i < 800; i++) {
                Servers.load(lb.pick(new PickContext())).started();
            }
            int max = farm.stream().mapToInt(c -> c.load().served()).max().orElseThrow();
            if (draws == 2) {
                assertTrue(max <= 100 + 6, "two choices: the busiest serves " + max + " (mean 100)");
            } else {
                assertTrue(max > 106, "one choice is visibly less even: " + max);
            }
        }
    }

    @Test
    void fullWinnerMeansQueueOnTheBackend() {
        List<Candidate> farm = List.of(new Candidate(1, "a", 1, false, true, new LoadCounters(1).setServed(1)));
        LoadBalancer lb = Balance.of(new Balance.Random(2)).snapshot(farm).newLoadBalancer();
        assertNull(lb.pick(new PickContext()));
        assertNull(Balance.of(new Balance.Random(2)).snapshot(List.of()).newLoadBalancer().pick(new PickContext()));
    }
}
