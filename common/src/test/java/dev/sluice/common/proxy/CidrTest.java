package dev.sluice.common.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    private static InetAddress ip(String literal) {
        return ProxyVectors.inet6(literal.contains(":") ? literal : "::ffff:" + literal, 0).getAddress();
    }

    private static InetAddress v4(String literal) {
        return ProxyVectors.inet(literal, 0).getAddress();
    }

    @Test
    void ipv4Prefixes() {
        Cidr net = Cidr.parse("10.0.0.0/8");
        assertTrue(net.matches(v4("10.255.1.2")));
        assertFalse(net.matches(v4("11.0.0.0")));
        assertTrue(net.matches(ip("10.1.1.1")), "IPv4-mapped IPv6 peers match IPv4 networks");
        assertTrue(Cidr.parse("0.0.0.0/0").matches(v4("203.0.113.9")));
        assertTrue(Cidr.parse("192.168.1.7").matches(v4("192.168.1.7")));
        assertFalse(Cidr.parse("192.168.1.7").matches(v4("192.168.1.6")));
        assertTrue(Cidr.parse("172.16.0.0/12").matches(v4("172.31.255.255")));
        assertFalse(Cidr.parse("172.16.0.0/12").matches(v4("172.32.0.0")));
    }

    @Test
    void ipv6Prefixes() {
        Cidr net = Cidr.parse("2001:db8::/32");
        assertTrue(net.matches(ip("2001:db8:ffff::1")));
        assertFalse(net.matches(ip("2001:db9::1")));
        assertFalse(net.matches(v4("32.1.13.184")));
        assertTrue(Cidr.parse("::1/128").matches(ip("::1")));
    }

    @Test
    void hostBitsAreIgnoredLikeHaproxy() {
        assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.1.2.3/8"));
        assertEquals("10.0.0.0/8", Cidr.parse("10.1.2.3/8").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/a", "localhost",
        "10.0.0", "[::1]", "fe80::1%eth0", "10.0.0.0/8/8"})
    void malformedNetworksAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }
}
