package dev.sluice.balancer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.balancer.runtime.IpNetwork;
import dev.sluice.balancer.runtime.ServerResolution;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** HAProxy's address score: family 8, resolve-net 4, not held by another server 2, current address 1. */
class AddressChoiceTest {

    private static InetAddress ip(String text) {
        return NetUtil.createInetAddressFromIpAddressString(text);
    }

    private static ServerResolution resolution(ServerResolution.Family prefer, ServerResolution.DupIp dup,
                                               List<IpNetwork> networks) {
        return new ServerResolution("app.test", Optional.empty(), Optional.empty(), prefer, dup, false, networks,
                ServerResolution.DEFAULT_INIT_ADDR, false);
    }

    private static final ServerResolution V4 = resolution(ServerResolution.Family.IPV4, ServerResolution.DupIp.DEFAULT,
            List.of());

    @Test
    void firstOfThePreferredFamily() {
        List<InetAddress> answers = List.of(ip("2001:db8::1"), ip("10.0.0.1"), ip("10.0.0.2"));
        assertEquals(ip("10.0.0.1"), AddressChoice.pick(answers, V4, null, a -> false));
        ServerResolution v6 = resolution(ServerResolution.Family.IPV6, ServerResolution.DupIp.DEFAULT, List.of());
        assertEquals(ip("2001:db8::1"), AddressChoice.pick(answers, v6, null, a -> false));
    }

    @Test
    void keepsTheCurrentAddressWhileItIsAnswered() {
        List<InetAddress> answers = List.of(ip("10.0.0.1"), ip("10.0.0.2"));
        assertEquals(ip("10.0.0.2"), AddressChoice.pick(answers, V4, ip("10.0.0.2"), a -> false));
        assertEquals(ip("10.0.0.1"), AddressChoice.pick(answers, V4, ip("10.0.0.9"), a -> false));
    }

    @Test
    void duplicatesArePreventedUnlessAllowed() {
        List<InetAddress> answers = List.of(ip("10.0.0.1"), ip("10.0.0.2"));
        Set<InetAddress> held = Set.of(ip("10.0.0.1"));
        assertEquals(ip("10.0.0.2"), AddressChoice.pick(answers, V4, null, held::contains));
        assertNull(AddressChoice.pick(answers, V4, null, Set.of(ip("10.0.0.1"), ip("10.0.0.2"))::contains),
                "no address left: the server waits in maintenance");
        ServerResolution allow = resolution(ServerResolution.Family.IPV4, ServerResolution.DupIp.ALLOW, List.of());
        assertEquals(ip("10.0.0.2"), AddressChoice.pick(answers, allow, null, held::contains),
                "a free address still scores higher");
        assertEquals(ip("10.0.0.1"), AddressChoice.pick(List.of(ip("10.0.0.1")), allow, null, held::contains));
    }

    @Test
    void resolveNetComesBeforeOrderButAfterFamily() {
        ServerResolution net = resolution(ServerResolution.Family.IPV4, ServerResolution.DupIp.DEFAULT,
                List.of(IpNetwork.parse("192.168.0.0/16")));
        List<InetAddress> answers = List.of(ip("10.0.0.1"), ip("192.168.1.1"), ip("2001:db8::1"));
        assertEquals(ip("192.168.1.1"), AddressChoice.pick(answers, net, null, a -> false));
        ServerResolution v6net = resolution(ServerResolution.Family.IPV6, ServerResolution.DupIp.DEFAULT,
                List.of(IpNetwork.parse("192.168.0.0/16")));
        assertEquals(ip("2001:db8::1"), AddressChoice.pick(answers, v6net, null, a -> false));
    }

    @Test
    void emptyAnswerPicksNothing() {
        assertNull(AddressChoice.pick(List.of(), V4, ip("10.0.0.1"), a -> false));
    }
}
