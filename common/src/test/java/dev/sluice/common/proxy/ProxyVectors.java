package dev.sluice.common.proxy;

import static dev.sluice.common.proxy.ProxyTesting.ascii;
import static dev.sluice.common.proxy.ProxyTesting.hex;
import static dev.sluice.common.proxy.ProxyTesting.unixPath;
import static dev.sluice.common.proxy.ProxyTesting.withCrc;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Byte-exact headers from HAProxy's doc/proxy-protocol.txt (sections 2.1 and 2.2), each with the
 * header our model gives for it. Every v2 field is commented where it is written.
 */
final class ProxyVectors {
    private ProxyVectors() {
    }

    record Vector(String name, byte[] bytes, ProxyHeader header) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String SIGNATURE = "0d0a0d0a000d0a515549540a";  // \r\n\r\n\0\r\nQUIT\n

    static InetSocketAddress inet(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);  // a literal: no DNS
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InetSocketAddress inet6(String literal, int port) {
        try {
            byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(literal);  // 16 bytes even when IPv4-mapped
            return new InetSocketAddress(java.net.Inet6Address.getByAddress(null, bytes, -1), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ---- v1 (spec 2.1) ----

    static final Vector V1_TCP4 = new Vector("v1 TCP4 (spec example)",
            ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
            ProxyHeader.proxy(inet("192.168.0.1", 56324), inet("192.168.0.11", 443), List.of()));

    static final Vector V1_TCP4_MAX = new Vector("v1 TCP4 worst case (56 bytes)",
            ascii("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n"),
            ProxyHeader.proxy(inet("255.255.255.255", 65535), inet("255.255.255.255", 65535), List.of()));

    static final Vector V1_TCP6_MAX = new Vector("v1 TCP6 worst case (104 bytes)",
            ascii("PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"),
            ProxyHeader.proxy(inet6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535),
                    inet6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535), List.of()));

    static final Vector V1_TCP6_MAPPED = new Vector("v1 TCP6 with an IPv4-mapped source",
            ascii("PROXY TCP6 ::ffff:10.1.2.3 2001:db8::1 0 80\r\n"),
            ProxyHeader.proxy(inet6("::ffff:10.1.2.3", 0), inet6("2001:db8::1", 80), List.of()));

    static final Vector V1_UNKNOWN = new Vector("v1 UNKNOWN (15 bytes)",
            ascii("PROXY UNKNOWN\r\n"), ProxyHeader.unknown());

    static final Vector V1_UNKNOWN_MAX = new Vector("v1 UNKNOWN worst case (107 bytes)",
            ascii("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"),
            ProxyHeader.unknown());

    // ---- v2 (spec 2.2) ----

    static final Vector V2_TCP4 = new Vector("v2 TCP4", hex(
            SIGNATURE,
            "21",        // version 2, command PROXY
            "11",        // AF_INET, STREAM
            "000c",      // 12 bytes follow
            "c0a80001",  // source 192.168.0.1
            "c0a8000b",  // destination 192.168.0.11
            "dc04",      // source port 56324
            "01bb"),     // destination port 443
            ProxyHeader.proxy(inet("192.168.0.1", 56324), inet("192.168.0.11", 443), List.of()));

    static final Vector V2_UDP6 = new Vector("v2 UDP6", hex(
            SIGNATURE,
            "21",        // version 2, command PROXY
            "22",        // AF_INET6, DGRAM
            "0024",      // 36 bytes follow
            "20010db8000000000000000000000001",  // source 2001:db8::1
            "00000000000000000000000000000001",  // destination ::1
            "04d2",      // source port 1234
            "0035"),     // destination port 53
            ProxyHeader.proxy(ProxyHeader.Transport.DGRAM, inet6("2001:db8::1", 1234), inet6("::1", 53), List.of()));

    static final Vector V2_UNIX = new Vector("v2 UNIX stream", hex(
            SIGNATURE,
            "21",        // version 2, command PROXY
            "31",        // AF_UNIX, STREAM
            "00d8",      // 216 bytes follow
            unixPath("/run/client.sock"),   // source path, NUL padded to 108 bytes
            unixPath("/run/haproxy.sock")), // destination path
            ProxyHeader.proxy(ProxyHeader.Transport.STREAM, new DomainSocketAddress("/run/client.sock"),
                    new DomainSocketAddress("/run/haproxy.sock"), List.of()));

    static final Vector V2_LOCAL = new Vector("v2 LOCAL (health check)", hex(
            SIGNATURE,
            "20",        // version 2, command LOCAL
            "00",        // AF_UNSPEC, UNSPEC
            "0000"),     // nothing follows
            ProxyHeader.local());

    static final Vector V2_LOCAL_WITH_ADDRESSES = new Vector("v2 LOCAL with addresses, which are discarded", hex(
            SIGNATURE,
            "20",        // version 2, command LOCAL
            "11",        // AF_INET, STREAM
            "000c",      // 12 bytes follow
            "7f000001 7f000001 1f90 0050"),  // 127.0.0.1:8080 -> 127.0.0.1:80, ignored for LOCAL
            ProxyHeader.local());

    static final Vector V2_UNSPEC = new Vector("v2 PROXY UNSPEC", hex(
            SIGNATURE,
            "21",        // version 2, command PROXY
            "00",        // AF_UNSPEC: the receiver uses the real endpoints
            "0000"),
            ProxyHeader.unknown());

    private static final String SSL_VALUE =
            "07"                                 // client: SSL | CERT_CONN | CERT_SESS
            + "00000000"                         // verify: 0, the certificate verified
            + "21 0007 544c5376312e33"           // sub-TLV VERSION "TLSv1.3"
            + "22 0006 636c69656e74"             // sub-TLV CN "client"
            + "23 0016 544c535f4145535f3132385f47434d5f534841323536"  // sub-TLV CIPHER "TLS_AES_128_GCM_SHA256"
            + "24 0006 525341323536"             // sub-TLV SIG_ALG "RSA256"
            + "25 0007 525341323034 38";         // sub-TLV KEY_ALG "RSA2048"

    static final Vector V2_TLVS = new Vector("v2 TCP4 with every standard TLV and a custom one", hex(
            SIGNATURE,
            "21",        // version 2, command PROXY
            "11",        // AF_INET, STREAM
            "0080",      // 128 bytes follow: 12 of addresses + 116 of TLVs
            "0a000001 0a000002 c350 01bb",  // 10.0.0.1:50000 -> 10.0.0.2:443
            "01 0002 6832",                        // ALPN "h2"
            "02 000b 6578616d706c652e636f6d",      // AUTHORITY "example.com"
            "04 0003 000000",                      // NOOP, 3 bytes of padding (dropped)
            "05 0004 01020304",                    // UNIQUE_ID 01020304
            "20 0044", SSL_VALUE,                  // SSL, 68 bytes
            "30 0004 626c7565",                    // NETNS "blue"
            "e0 0003 abcdef"),                     // custom 0xE0
            ProxyHeader.proxy(inet("10.0.0.1", 50000), inet("10.0.0.2", 443), List.of(
                    Tlv.alpn("h2"), Tlv.authority("example.com"), Tlv.uniqueId(new byte[] {1, 2, 3, 4}),
                    Tlv.ssl(new SslInfo(7, 0, "TLSv1.3", "client", "TLS_AES_128_GCM_SHA256", "RSA256", "RSA2048")),
                    Tlv.netns("blue"), Tlv.of(0xE0, new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF}))));

    /** The CRC32C value sits after the 16-byte fixed part, 12 address bytes and the TLV's type and length. */
    static final int CRC_VALUE_AT = 16 + 12 + 3;

    static final Vector V2_CRC = new Vector("v2 TCP4 with CRC32C", withCrc(hex(
            SIGNATURE,
            "21",        // version 2, command PROXY
            "11",        // AF_INET, STREAM
            "0013",      // 19 bytes follow: 12 of addresses + 7 of TLV
            "7f000001 7f000002 3039 0050",  // 127.0.0.1:12345 -> 127.0.0.2:80
            "03 0004 00000000"),            // CRC32C, value computed by withCrc
            CRC_VALUE_AT),
            ProxyHeader.proxy(inet("127.0.0.1", 12345), inet("127.0.0.2", 80), List.of()));

    static final List<Vector> VALID = List.of(V1_TCP4, V1_TCP4_MAX, V1_TCP6_MAX, V1_TCP6_MAPPED, V1_UNKNOWN, V1_UNKNOWN_MAX,
            V2_TCP4, V2_UDP6, V2_UNIX, V2_LOCAL, V2_LOCAL_WITH_ADDRESSES, V2_UNSPEC, V2_TLVS, V2_CRC);
}
