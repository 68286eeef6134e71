package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
    private static final Balance RR = Balance.ROUND_ROBIN;

    @Test
    void smoothSequenceForFiveOneOne() {
        LoadBalancer lb = RR.snapshot(Servers.weighted(5, 1, 1)).newLoadBalancer();
        assertEquals("s1 s1 s2 s1 s3 s1 s1 s1 s1 s2 s1 s3 s1 s1", Servers.names(lb, 14));
    }

    @Test
    void threeToOneOverEightRequests() {
        LoadBalancer lb = RR.snapshot(Servers.weighted(3, 1)).newLoadBalancer();
        assertEquals("s1 s1 s2 s1 s1 s1 s2 s1", Servers.names(lb, 8));
    }

    @Test
    void everyServerStaysWithinOnePickOfItsShare() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 20; round++) {
            int[] weights = new int[random.nextInt(1, 12)];
            int total = 0;
            for (int i = 0; i < weights.length; i++) {
                weights[i] = random.nextInt(1, Candidate.MAX_WEIGHT + 1);
                total += weights[i];
            }
            List<Candidate> servers = Servers.weighted(weights);
            LoadBalancer lb = RR.snapshot(servers).newLoadBalancer();
            PickContext context = new PickContext();
            int[] counts = new int[weights.length];
            for (int n = 1; n <= 3 * total; n++) {
                counts[lb.pick(context).id() - 1]++;
                for (int i = 0; i < weights.length; i++) {
                    double ideal = (double) n * weights[i] / total;
                    assertTrue(Math.abs(counts[i] - ideal) <= 1.0,
                            "server " + i + " after " + n + " picks: " + counts[i] + " vs " + ideal);
                }
            }
            for (int i = 0; i < weights.length; i++) {
                assertEquals(3 * weights[i], counts[i], "exact after whole cycles");
            }
        }
    }

    @Test
    void perEventLoopInstancesStayWithinOnePickPerLoopOfTheShare() {
        int loops = 4;
        int[] weights = {5, 3, 1, 1};
        int total = 10;
        ServerSet set = RR.snapshot(Servers.weighted(weights));
        LoadBalancer[] perLoop = new LoadBalancer[loops];
        for (int l = 0; l < loops; l++) {
            perLoop[l] = set.newLoadBalancer();
        }
        SplittableRandom scheduler = new SplittableRandom(17);
        PickContext context = new PickContext();
        int[] counts = new int[weights.length];
        for (int n = 1; n <= 2000; n++) {
            counts[perLoop[scheduler.nextInt(loops)].pick(context).id() - 1]++;
            for (int i = 0; i < weights.length; i++) {
                double ideal = (double) n * weights[i] / total;
                assertTrue(Math.abs(counts[i] - ideal) <= loops, "server " + i + " after " + n + ": " + counts[i]);
            }
        }
    }

    @Test
    void weightChangeKeepsTheCycleGoing() {
        List<Candidate> servers = Servers.weighted(1, 1);
        ServerSet before = RR.snapshot(servers);
        LoadBalancer lb = before.newLoadBalancer();
        assertEquals("s1 s2 s1 s2", Servers.names(lb, 4));
        ServerSet after = before.with(List.of(servers.get(0), servers.get(1).withWeight(3)));
        LoadBalancer next = after.newLoadBalancer(new SplittableRandom(1), lb);
        Map<String, Integer> counts = Servers.counts(next, new PickContext(), 400);
        assertEquals(Map.of("s1", 100, "s2", 300), counts);
    }

    @Test
    void zeroWeightAndUnusableServersAreLeftOut() {
        List<Candidate> servers = List.of(
                Candidate.of(1, "a", 1), Candidate.of(2, "b", 0), Candidate.of(3, "c", 1).withUsable(false),
                Candidate.of(4, "d", 1));
        LoadBalancer lb = RR.snapshot(servers).newLoadBalancer();
        assertEquals("a d a d", Servers.names(lb, 4));
    }

    @Test
    void fullServersSitOutAndAllFullMeansQueue() {
        List<Candidate> servers = List.of(
                new Candidate(1, "a", 1, false, true, new LoadCounters(1)),
                new Candidate(2, "b", 1, false, true, new LoadCounters(1)));
        LoadBalancer lb = RR.snapshot(servers).newLoadBalancer();
        PickContext context = new PickContext();
        Candidate first = lb.pick(context);
        Servers.load(first).started();
        Candidate second = lb.pick(context);
        assertTrue(first != second);
        Servers.load(second).started();
        assertNull(lb.pick(context), "every server full: queue on the backend");
        assertTrue(lb.servers().hasUsableServer());
        Servers.load(first).ended();
        assertSame(first, lb.pick(context));
    }

    @Test
    void triedServerIsTakenOnlyAsLastResort() {
        List<Candidate> servers = Servers.weighted(1, 1, 1);
        LoadBalancer lb = RR.snapshot(servers).newLoadBalancer();
        PickContext context = new PickContext().avoid(servers.get(0));
        for (int i = 0; i < 10; i++) {
            assertTrue(lb.pick(context).id() != 1);
        }
        LoadBalancer single = RR.snapshot(Servers.weighted(1)).newLoadBalancer();
        assertEquals(1, single.pick(new PickContext().avoidId(1)).id(), "nobody else: retry the same");
    }

    @Test
    void backupsOnlyWhenNoActiveServerIsUsable() {
        List<Candidate> servers = List.of(
                Candidate.of(1, "a", 1).withUsable(false), Candidate.of(2, "b1", 1).asBackup(),
                Candidate.of(3, "b2", 1).asBackup());
        ServerSet firstBackup = RR.snapshot(servers);
        assertTrue(firstBackup.usingBackups());
        assertEquals("b1 b1 b1", Servers.names(firstBackup.newLoadBalancer(), 3));
        ServerSet allBackups = RR.withAllBackups(true).snapshot(servers);
        assertEquals("b1 b2 b1", Servers.names(allBackups.newLoadBalancer(), 3));
        ServerSet activeBack = firstBackup.with(List.of(servers.get(0).withUsable(true), servers.get(1), servers.get(2)));
        assertEquals("a a", Servers.names(activeBack.newLoadBalancer(), 2));
        ServerSet none = RR.snapshot(List.of(servers.get(0)));
        assertTrue(!none.hasUsableServer());
        assertNull(none.newLoadBalancer().pick(new PickContext()));
    }
}
