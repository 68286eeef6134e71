package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BindPlan;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

class ListenerTest {
    @Test
    void theSameAddressKeepsItsListenerWhatEverItsPerConnectionOptions() {
        BindPlan old = BindPlan.of(new InetSocketAddress("127.0.0.1", 8080));
        assertTrue(Listener.reusableFor(old, new BindPlan(new InetSocketAddress("127.0.0.1", 8080), true, 10, "x")));
    }

    @Test
    void anotherAddressOrPortGetsANewListener() {
        BindPlan old = BindPlan.of(new InetSocketAddress("127.0.0.1", 8080));
        assertFalse(Listener.reusableFor(old, BindPlan.of(new InetSocketAddress("127.0.0.1", 8081))));
        assertFalse(Listener.reusableFor(old, BindPlan.of(new InetSocketAddress("0.0.0.0", 8080))));
    }

    @Test
    void portZeroAlwaysAsksForAFreshPort() {
        BindPlan any = BindPlan.of(new InetSocketAddress("127.0.0.1", 0));
        assertFalse(Listener.reusableFor(any, any));
    }

    @Test
    void unixSocketsMatchByPath() {
        BindPlan old = BindPlan.of(UnixDomainSocketAddress.of("/run/a.sock"));
        assertTrue(Listener.reusableFor(old, BindPlan.of(UnixDomainSocketAddress.of("/run/a.sock"))));
        assertFalse(Listener.reusableFor(old, BindPlan.of(UnixDomainSocketAddress.of("/run/b.sock"))));
    }
}
