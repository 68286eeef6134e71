package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressTextTest {

    private static String text(String literal) {
        return AddressText.of(InetAddress.ofLiteral(literal));
    }

    @Test
    void ipv6IsWrittenInItsShortForm() {
        assertEquals("2001:db8::1", text("2001:0db8:0:0:0:0:0:1"));
        assertEquals("::1", text("0:0:0:0:0:0:0:1"));
        assertEquals("::", text("0:0:0:0:0:0:0:0"));
        assertEquals("fe80::", text("fe80:0:0:0:0:0:0:0"));
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"), "a single zero group stays");
        assertEquals("2001:0:0:1::1", text("2001:0:0:1:0:0:0:1"), "the longest run wins");
        assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1"), "the first of equal runs wins");
        assertEquals("abcd:ef01::", text("ABCD:EF01:0:0:0:0:0:0"));
    }

    @Test
    void mappedAddressesKeepTheirDottedTail() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 198, 51, 100, 4};
        assertEquals("::ffff:198.51.100.4", AddressText.of(java.net.Inet6Address.getByAddress(null, mapped, -1)));
    }

    @Test
    void ipv4IsDotted() {
        assertEquals("192.0.2.7", text("192.0.2.7"));
    }
}
