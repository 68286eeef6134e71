package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.demo.DemoBackend;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawHttp;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which server answers: weights, disabled and backup servers, over real connections. */
class BalancingIT {

    private static Map<String, Integer> spread(RunningBalancer balancer, int requests) {
        Map<String, Integer> counts = new HashMap<>();
        try (RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            for (int i = 0; i < requests; i++) {
                String text = client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().text();
                counts.merge(text.substring(0, text.indexOf(':')), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void weightsShareRequestsProportionally() {
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend b = DemoBackend.start(0, "b");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 3, 0, false, false, 1))
                     .server(new ServerPlan("b", b.address(), 1, 0, false, false, 2)).build())) {
            assertEquals(Map.of("a", 30, "b", 10), spread(balancer, 40));
        }
    }

    @Test
    void disabledServersGetNothingAndBackupsWaitForNeed() {
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend b = DemoBackend.start(0, "b");
             DemoBackend c = DemoBackend.start(0, "c");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 1, 0, false, false, 1))
                     .server(new ServerPlan("b", b.address(), 1, 0, true, false, 2))
                     .server(new ServerPlan("c", c.address(), 1, 0, false, true, 3)).build())) {
            assertEquals(Map.of("a", 6), spread(balancer, 6));
        }
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend c = DemoBackend.start(0, "c");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 1, 0, true, false, 1))
                     .server(new ServerPlan("c", c.address(), 1, 0, false, true, 2)).build())) {
            assertEquals(Map.of("c", 4), spread(balancer, 4));
        }
    }

    @Test
    void aFullServerIsSkipped() {
        try (DemoBackend a = DemoBackend.start(0, "a"); DemoBackend b = DemoBackend.start(0, "b");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(1)
                     .server(new ServerPlan("a", a.address(), 1, 1, false, false, 1))
                     .server(new ServerPlan("b", b.address(), 1, 0, false, false, 2)).build())) {
            // Sequential requests never fill a (maxconn 1), so both share.
            assertEquals(Map.of("a", 2, "b", 2), spread(balancer, 4));
        }
    }
}
