package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticAndFirstTest {
    private static final Balance STATIC_RR = Balance.of(new Balance.StaticRoundRobin());
    private static final Balance FIRST = Balance.of(new Balance.First());

    @Test
    void staticRoundRobinThreeToOneIsHaproxysMap() {
        LoadBalancer lb = STATIC_RR.snapshot(Servers.weighted(3, 1)).newLoadBalancer();
        assertEquals("s1 s1 s1 s2 s1 s1 s1 s2", Servers.names(lb, 8));
    }

    @Test
    void staticRoundRobinMapInterleavesByWeight() {
        // weights over their divisor 2: 2, 1, 1 -> a table of 4. Credits (level = (credit + 4) / 4):
        // slot 0: 2,1,1 -> levels 1,1,1 -> s1 pays 4; slot 1: 0,2,2 -> 1,1,1 -> s1; slot 2: -2,3,3 -> 0,1,1
        // -> s2; slot 3: 0,0,4 -> 1,1,2 -> s3
        LoadBalancer lb = STATIC_RR.snapshot(Servers.weighted(4, 2, 2)).newLoadBalancer();
        assertEquals("s1 s1 s2 s3 s1 s1 s2 s3", Servers.names(lb, 8));
        Map<String, Integer> counts = Servers.counts(
                STATIC_RR.snapshot(Servers.weighted(5, 3, 1)).newLoadBalancer(), new PickContext(), 900);
        assertEquals(Map.of("s1", 500, "s2", 300, "s3", 100), counts);
    }

    @Test
    void staticRoundRobinSkipsFullServers() {
        List<Candidate> servers = List.of(
                new Candidate(1, "a", 3, false, true, new LoadCounters(1).setServed(1)),
                Candidate.of(2, "b", 1));
        LoadBalancer lb = STATIC_RR.snapshot(servers).newLoadBalancer();
        assertEquals("b b b", Servers.names(lb, 3));
    }

    @Test
    void firstFillsTheLowestIdBeforeTheNext() {
        List<Candidate> servers = List.of(
                new Candidate(3, "c", 1, false, true, new LoadCounters(2)),
                new Candidate(1, "a", 1, false, true, new LoadCounters(2)),
                new Candidate(2, "b", 9, false, true, new LoadCounters(1)));
        LoadBalancer lb = FIRST.snapshot(servers).newLoadBalancer();
        PickContext context = new PickContext();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            Candidate c = lb.pick(context);
            if (c == null) {
                order.append('-');
                continue;
            }
            order.append(c.name());
            Servers.load(c).started();
        }
        assertEquals("aabcc-", order.toString());
        Servers.load(servers.get(2)).ended();
        assertEquals("b", lb.pick(context).name());
    }

    @Test
    void firstWithoutMaxconnAlwaysTakesTheLowestIdUnlessTried() {
        List<Candidate> servers = Servers.weighted(1, 1, 1);
        LoadBalancer lb = FIRST.snapshot(servers).newLoadBalancer();
        assertEquals("s1 s1 s1", Servers.names(lb, 3));
        assertEquals("s2", lb.pick(new PickContext().avoidId(1)).name());
        assertEquals("s3", lb.pick(new PickContext().avoidId(1).avoidId(2)).name());
        assertEquals("s1", lb.pick(new PickContext().avoidId(1).avoidId(2).avoidId(3)).name());
    }

    @Test
    void emptyFarmGivesNull() {
        assertNull(FIRST.snapshot(List.of()).newLoadBalancer().pick(new PickContext()));
        assertNull(STATIC_RR.snapshot(List.of()).newLoadBalancer().pick(new PickContext()));
    }
}
