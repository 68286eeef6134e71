package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpAddressTest {

    @Test
    void parsesAndFormatsLikeTheJdk() throws Exception {
        for (String text : new String[] {"0.0.0.0", "255.255.255.255", "192.0.2.1", "::", "::1", "2001:db8::1",
                "2001:db8:0:1:1:1:1:1", "fe80::1:0:0:1", "1::", "1:2:3:4:5:6:7:8"}) {
            IpAddress a = IpAddress.parse(text);
            assertEquals(IpAddress.of(InetAddress.getByName(text)), a, text);
            assertEquals(text, a.toString(), text);
        }
        assertEquals(IpAddress.parse("::ffff:c000:201"), IpAddress.parse("::ffff:192.0.2.1"));
        assertEquals("::ffff:192.0.2.1", IpAddress.parse("::ffff:c000:201").toString());
        assertEquals(IpAddress.parse("192.0.2.1"), IpAddress.parse("::ffff:192.0.2.1").asV4());
        assertEquals(IpAddress.parse("192.0.2.1"), IpAddress.parse("2002:c000:201::").asV4());
        assertNull(IpAddress.parse("::192.0.2.1").asV4());
        // An IPv4-mapped text stays an IPv6 sample (the JDK would turn it into IPv4); it still
        // matches IPv4 patterns through embeddedV4(), as in HAProxy.
        assertTrue(!IpAddress.parse("::ffff:0:1").v4());
    }

    @Test
    void refusesWhatIsNotAnAddress() {
        for (String text : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "a.b.c.d", ":::", "1:2",
                "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::g", "1:2:3:4:5:6:7:", "localhost"}) {
            assertNull(IpAddress.parse(text), text);
        }
    }

    @Test
    void embeddedIpv4FormsHaproxyRecognises() {
        assertEquals(0xc0000201L, IpAddress.parse("192.0.2.1").embeddedV4());
        assertEquals(0xc0000201L, IpAddress.parse("::ffff:192.0.2.1").embeddedV4());
        assertEquals(0xc0000201L, IpAddress.parse("::192.0.2.1").embeddedV4());
        assertEquals(0xc0000201L, IpAddress.parse("2002:c000:201::").embeddedV4());
        assertEquals(-1, IpAddress.parse("2001:db8::1").embeddedV4());
        assertEquals(-1, IpAddress.parse("2002:c000:201::1").embeddedV4());
    }

    @Test
    void masks() {
        assertEquals(IpAddress.parse("10.0.0.0"), IpAddress.parse("10.1.2.3").mask(8));
        assertEquals(IpAddress.parse("0.0.0.0"), IpAddress.parse("10.1.2.3").mask(0));
        assertEquals(IpAddress.parse("10.1.2.3"), IpAddress.parse("10.1.2.3").mask(32));
        assertEquals(IpAddress.parse("2001:db8:8000::"), IpAddress.parse("2001:db8:ffff::1").mask(33));
        assertEquals(IpAddress.parse("2001:db8:ffff::1"), IpAddress.parse("2001:db8:ffff::1").mask(128));
        assertEquals(IpAddress.parse("2001:db8:ffff:0:8000::"), IpAddress.parse("2001:db8:ffff:0:ffff::").mask(65));
    }

    @Test
    void networkPatterns() {
        assertEquals(new Networks.Network(IpAddress.parse("10.0.0.12"), 32), Networks.parse("10.12"));
        assertEquals(new Networks.Network(IpAddress.parse("127.0.0.1"), 8), Networks.parse("127.1/8"));
        assertEquals(new Networks.Network(IpAddress.parse("192.168.1.0"), 22), Networks.parse("192.168.1.0/255.255.252.0"));
        assertEquals(AclException.Kind.UNSUPPORTED,
                org.junit.jupiter.api.Assertions.assertThrows(AclException.class,
                        () -> Networks.parse("10.0.0.0/255.0.255.0")).kind());
        assertNull(Networks.parse("10.0.0.0/33"));
        assertNull(Networks.parse("::1/129"));
        assertNull(Networks.parse("10"));
        assertTrue(Networks.looksLikeHostName("www.example.com"));
    }

    @Test
    void rangeSetMergesOverlapsAndAdjacentNetworks() {
        IpRangeSet set = new IpRangeSet.Builder().add(IpAddress.parse("10.0.0.0"), 24)
                .add(IpAddress.parse("10.0.1.0"), 24).add(IpAddress.parse("10.0.0.128"), 25)
                .add(IpAddress.parse("2001:db8::"), 33).add(IpAddress.parse("2001:db8:8000::"), 33).build();
        assertEquals(1, set.v4Ranges());
        assertEquals(1, set.v6Ranges());
        assertTrue(set.contains(IpAddress.parse("10.0.1.255")));
        assertTrue(!set.contains(IpAddress.parse("10.0.2.0")));
        assertTrue(set.contains(IpAddress.parse("2001:db8:ffff::")));
        IpRangeSet all = new IpRangeSet.Builder().add(IpAddress.parse("::"), 0).add(IpAddress.parse("0.0.0.0"), 0).build();
        assertTrue(all.contains(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
        assertTrue(all.contains(IpAddress.parse("255.255.255.255")));
    }
}
