package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeastConnTest {
    private static final Balance LEASTCONN = Balance.of(new Balance.LeastConn());

    @Test
    void equalLoadsTakeTurns() {
        LoadBalancer lb = LEASTCONN.snapshot(Servers.weighted(1, 1, 1)).newLoadBalancer();
        assertEquals("s1 s2 s3 s1 s2 s3", Servers.names(lb, 6));
    }

    @Test
    void fewestConnectionsWins() {
        List<Candidate> servers = Servers.weighted(1, 1, 1);
        Servers.load(servers.get(0)).setServed(5);
        Servers.load(servers.get(1)).setServed(2);
        Servers.load(servers.get(2)).setServed(4);
        LoadBalancer lb = LEASTCONN.snapshot(servers).newLoadBalancer();
        PickContext context = new PickContext();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            Candidate c = lb.pick(context);
            order.append(c.name()).append(' ');
            Servers.load(c).started();
        }
        // s2 climbs to 4 and ties with s3; then they alternate; s1 joins at 5
        assertEquals("s2 s2 s3 s2 s3 s1", order.toString().trim());
    }

    @Test
    void queuedRequestsCountAsLoad() {
        List<Candidate> servers = Servers.weighted(1, 1);
        Servers.load(servers.get(0)).setServed(1).setQueued(3);
        Servers.load(servers.get(1)).setServed(3);
        LoadBalancer lb = LEASTCONN.snapshot(servers).newLoadBalancer();
        assertEquals("s2", lb.pick(new PickContext()).name());
    }

    @Test
    void loadIsRelativeToWeight() {
        List<Candidate> servers = Servers.weighted(3, 1);
        LoadBalancer lb = LEASTCONN.snapshot(servers).newLoadBalancer();
        PickContext context = new PickContext();
        int[] counts = new int[2];
        for (int i = 0; i < 400; i++) {
            Candidate c = lb.pick(context);
            counts[c.id() - 1]++;
            Servers.load(c).started();
        }
        assertEquals(300, counts[0]);
        assertEquals(100, counts[1]);
    }

    @Test
    void fullServersAreSkippedAndTriedOnesAreLastResort() {
        List<Candidate> servers = List.of(
                new Candidate(1, "a", 1, false, true, new LoadCounters(1)),
                new Candidate(2, "b", 1, false, true, new LoadCounters(0).setServed(10)));
        LoadBalancer lb = LEASTCONN.snapshot(servers).newLoadBalancer();
        assertEquals("b", lb.pick(new PickContext().avoidId(1)).name());
        Servers.load(servers.get(0)).started();
        assertEquals("b", lb.pick(new PickContext()).name(), "a is full");
        LoadBalancer full = LEASTCONN.snapshot(List.of(servers.get(0))).newLoadBalancer();
        assertNull(full.pick(new PickContext()));
    }
}
