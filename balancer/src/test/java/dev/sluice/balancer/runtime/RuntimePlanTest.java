package dev.sluice.balancer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimePlanTest {

    private static FrontendPlan frontend(String backend, Mode mode) {
        return new FrontendPlan("fe", mode, List.of(BindPlan.of(new InetSocketAddress("127.0.0.1", 0))), 0,
                backend, List.of(), ForwardFor.DISABLED, Timeouts.NONE, Map.of());
    }

    private static BackendPlan backend(String name, Mode mode) {
        return new BackendPlan(name, mode, List.of(ServerPlan.of("s1", new InetSocketAddress("127.0.0.1", 8080))),
                Timeouts.NONE, BackendPlan.DEFAULT_RETRIES, false, ForwardFor.DISABLED, Map.of());
    }

    @Test
    void unknownDefaultBackendIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RuntimePlan(GlobalPlan.DEFAULTS, List.of(frontend("nope", Mode.HTTP)), List.of(backend("be", Mode.HTTP))));
        assertTrue(e.getMessage().contains("unknown backend 'nope'"), e.getMessage());
    }

    @Test
    void modeMismatchIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RuntimePlan(GlobalPlan.DEFAULTS, List.of(frontend("be", Mode.TCP)), List.of(backend("be", Mode.HTTP))));
    }

    @Test
    void duplicateBackendIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RuntimePlan(GlobalPlan.DEFAULTS, List.of(), List.of(backend("be", Mode.HTTP), backend("be", Mode.HTTP))));
    }

    @Test
    void timeoutFallbacksFollowHaproxy() {
        Timeouts t = Timeouts.NONE.withClient(Duration.ofSeconds(30)).withServer(Duration.ofSeconds(50));
        assertEquals(Duration.ofSeconds(30), t.effectiveHttpRequest());
        assertEquals(Duration.ofSeconds(30), t.effectiveHttpKeepAlive());
        assertEquals(Duration.ofSeconds(50), t.effectiveTunnel(t.client()));
        assertEquals(Duration.ofSeconds(2), t.withHttpKeepAlive(Duration.ofSeconds(2)).effectiveHttpKeepAlive());
        assertThrows(IllegalArgumentException.class, () -> t.withConnect(Duration.ofSeconds(-1)));
    }

    @Test
    void networksMatchByPrefix() throws Exception {
        IpNetwork net = IpNetwork.parse("10.1.0.0/16");
        assertTrue(net.contains(InetAddress.getByName("10.1.200.3")));
        assertFalse(net.contains(InetAddress.getByName("10.2.0.1")));
        assertFalse(net.contains(InetAddress.getByName("::1")));
        assertEquals(16, IpNetwork.parse("10.1.0.0/255.255.0.0").prefixLength());
        assertEquals(IpNetwork.parse("127.0.0.1/32"), IpNetwork.parse("127.0.0.1"));
        assertTrue(IpNetwork.parse("::1/128").contains(InetAddress.getByName("::1")));
        assertTrue(IpNetwork.parse("10.0.0.0/9").contains(InetAddress.getByName("10.127.0.1")));
        assertFalse(IpNetwork.parse("10.0.0.0/9").contains(InetAddress.getByName("10.128.0.1")));
        assertThrows(IllegalArgumentException.class, () -> IpNetwork.parse("example.com/8"));
        assertThrows(IllegalArgumentException.class, () -> IpNetwork.parse("10.0.0.0/33"));
    }

    @Test
    void forwardForHeaderMustBeAToken() {
        assertThrows(IllegalArgumentException.class, () -> new ForwardFor(true, null, "X Bad", false));
    }
}
