package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.demo.DemoBackend;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawHttp;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A server killed while clients keep sending: with {@code retries 3} and {@code option redispatch} a failed
 * connect goes to the other server, and the checks take the dead one out, so the only client errors are the
 * requests that were in flight on it when it died: at most one per client connection (each client has one
 * request in flight at a time).
 */
class FailoverUnderLoadIT {
    private static final int CLIENTS = 4;
    /** Bounds on the waits (the test machine may be busy: these are limits, not expectations). */
    private static final long BEFORE_KILL_LIMIT_MILLIS = 10_000;
    private static final long AFTER_KILL_LIMIT_MILLIS = 10_000;
    /** A bound on one client's requests, so the loop ends even if time stood still. */
    private static final int MAX_REQUESTS_PER_CLIENT = 200_000;

    private static void awaitAtLeast(AtomicInteger counter, int target, long limitMillis) throws InterruptedException {
        for (long waited = 0; waited < limitMillis && counter.get() < target; waited += 10) {
            Thread.sleep(10);
        }
    }

    @Test
    void onlyRequestsInFlightOnTheKilledServerFail() throws InterruptedException {
        ServerHealth health = ServerHealth.tcp(Duration.ofMillis(100), 2, 2);
        DemoBackend a = DemoBackend.start(0, "a");
        try (DemoBackend b = DemoBackend.start(0, "b");
             RunningBalancer balancer = Balancer.start(Plans.http().nbthread(2).retries(3).redispatch()
                     .server(new ServerPlan("a", a.address(), 1, 0, false, false, 1).withHealth(health))
                     .server(new ServerPlan("b", b.address(), 1, 0, false, false, 2).withHealth(health)).build())) {
            SocketAddress front = balancer.boundAddresses().getFirst();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger okFromA = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    RawHttp client = RawHttp.to(front);
                    client.setTimeout(5_000);
                    for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !stop.get(); i++) {
                        try {
                            RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read();
                            if (response.status() == 200) {
                                ok.incrementAndGet();
                                if (response.text().startsWith("a:")) {
                                    okFromA.incrementAndGet();
                                }
                                continue;
                            }
                            errors.incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                        client.close();
                        client = RawHttp.to(front);
                        client.setTimeout(5_000);
                    }
                    client.close();
                }));
            }
            awaitAtLeast(okFromA, 5, BEFORE_KILL_LIMIT_MILLIS);
            int servedByABeforeKill = okFromA.get();
            int servedBeforeKill = ok.get();
            a.close();
            var serverA = balancer.backends().get("be").server("a");
            for (int i = 0; i < AFTER_KILL_LIMIT_MILLIS / 10 && serverA.usable(); i++) {
                Thread.sleep(10);
            }
            // Traffic goes on after the detection.
            awaitAtLeast(ok, ok.get() + 50, AFTER_KILL_LIMIT_MILLIS);
            stop.set(true);
            for (Thread client : clients) {
                client.join(10_000);
            }
            System.out.printf("failover: %d ok (%d of %d from a before the kill), %d errors with %d clients%n",
                    ok.get(), servedByABeforeKill, servedBeforeKill, errors.get(), CLIENTS);
            assertTrue(servedByABeforeKill > 0, "a served before the kill");
            assertTrue(ok.get() >= servedBeforeKill + 50, "traffic went on: " + ok.get());
            assertTrue(errors.get() <= CLIENTS, "errors " + errors.get() + " > requests in flight " + CLIENTS);
            assertEquals(false, balancer.backends().get("be").server("a").usable());
        } finally {
            a.close();
        }
    }
}
