package dev.sluice.common.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.unix.DomainSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyAcceptanceTest {
    private final List<Cidr> trusted = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"));

    @Test
    void withoutAListEveryPeerIsTrusted() {
        assertTrue(ProxyAcceptance.required().trusts(ProxyVectors.inet("203.0.113.1", 1)));
        var channel = new io.netty.channel.embedded.EmbeddedChannel();
        assertTrue(ProxyAcceptance.required().trusts(channel.remoteAddress()));
        assertFalse(channel.finish());
    }

    @Test
    void withAListOnlyListedAndLocalPeersAreTrusted() {
        ProxyAcceptance acceptance = ProxyAcceptance.expectedFrom(trusted);
        assertTrue(acceptance.trusts(ProxyVectors.inet("10.9.8.7", 1)));
        assertTrue(acceptance.trusts(ProxyVectors.inet6("::ffff:10.9.8.7", 1)), "IPv4-mapped on a dual-stack socket");
        assertTrue(acceptance.trusts(ProxyVectors.inet6("2001:db8::5", 1)));
        assertFalse(acceptance.trusts(ProxyVectors.inet("11.0.0.1", 1)));
        assertFalse(acceptance.trusts(ProxyVectors.inet6("2001:db9::5", 1)));
        assertTrue(acceptance.trusts(new DomainSocketAddress("/run/sluice/balancer.sock")), "unix peers are local");
    }

    @Test
    void defaultsAreHaproxys() {
        ProxyAcceptance acceptance = ProxyAcceptance.required();
        assertEquals(Duration.ofSeconds(3), acceptance.deadline());
        assertEquals(16_384, acceptance.maxV2Bytes());
        assertEquals(Duration.ofMillis(500), acceptance.withDeadline(Duration.ofMillis(500)).deadline());
    }

    @Test
    void nonsenseIsRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> ProxyAcceptance.required().withDeadline(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ProxyAcceptance.required().withMaxV2Bytes(100));
        assertThrows(IllegalArgumentException.class, () -> ProxyAcceptance.required().withMaxV2Bytes(70_000));
        assertThrows(IllegalArgumentException.class, () -> ProxyAcceptance.expectedFrom(List.of()));
    }

    @Test
    void countersBelongToTheirListener() {
        ProxyCounters one = new ProxyCounters();
        ProxyCounters two = new ProxyCounters();
        one.refused(ProxyRefusal.BAD_CRC);
        one.accepted(2);
        assertEquals(1, one.refusals(ProxyRefusal.BAD_CRC));
        assertEquals(1, one.acceptedV2());
        assertEquals(0, two.refusals());
        assertEquals(ProxyRefusal.values().length, one.refusalsByReason().size());
    }
}
