package dev.sluice.common.proxy;

import static dev.sluice.common.proxy.ProxyTesting.ascii;
import static dev.sluice.common.proxy.ProxyTesting.buf;
import static dev.sluice.common.proxy.ProxyTesting.concat;
import static dev.sluice.common.proxy.ProxyTesting.drainInbound;
import static dev.sluice.common.proxy.ProxyTesting.hex;
import static dev.sluice.common.proxy.ProxyTesting.withCrc;
import static dev.sluice.common.proxy.ProxyVectors.SIGNATURE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.common.proxy.ProxyTesting.Recorder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One malformation per test: each is refused with its named reason, counted, announced as a user
 * event, closes the connection, lets nothing through and leaks nothing.
 */
class ProxyRefusalTest {
    private static final byte[] PAYLOAD = ascii("GET / HTTP/1.1\r\n\r\n");

    private static void assertRefused(ProxyRefusal expected, byte[] bytes) {
        ProxyCounters counters = new ProxyCounters();
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = ProxyTesting.channel(ProxyVectors.inet("127.0.0.1", 1),
                new ProxyHeaderDecoder(ProxyAcceptance.required(), counters), recorder);
        channel.writeInbound(buf(concat(bytes, PAYLOAD)));
        assertEquals(1, counters.refusals(expected), () -> "expected " + expected + ", counted " + counters);
        assertEquals(1, counters.refusals());
        assertEquals(List.of(expected), recorder.events, "only the refusal event, no read");
        assertFalse(channel.isOpen(), "the connection is closed");
        assertNull(channel.attr(ProxyHeader.ATTRIBUTE).get());
        assertArrayEquals(new byte[0], drainInbound(channel));
        assertFalse(channel.finish());
    }

    // ---- neither version ----

    @Test
    void httpRequestIsNotProxy() {
        assertRefused(ProxyRefusal.NOT_PROXY, ascii("GET / HTTP/1.1\r\n"));
    }

    @Test
    void tlsClientHelloIsNotProxy() {
        assertRefused(ProxyRefusal.NOT_PROXY, hex("160301 0200 01"));
    }

    @Test
    void wordStartingWithPIsNotProxy() {
        assertRefused(ProxyRefusal.NOT_PROXY, ascii("POST / HTTP/1.1\r\n"));
    }

    @Test
    void lowercaseProxyIsNotProxy() {
        assertRefused(ProxyRefusal.NOT_PROXY, ascii("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"));
    }

    // ---- v1 (spec 2.1) ----

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n",            // LF without CR
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n",         // trailing space
        "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n",         // two spaces
        "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",            // a field missing
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n",        // a field too many
        "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n",          // protocol in lower case
        "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",          // unknown protocol
        "PROXY UNKNOWNX\r\n",                          // UNKNOWN must end at a space or CRLF
        "PROXY \r\n",                                  // no protocol
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n",        // CR inside the line
        "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n",         // leading zero in an octet (octal confusion)
        "PROXY TCP4 256.2.3.4 5.6.7.8 1 2\r\n",        // octet above 255
        "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",            // three octets
        "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n",        // five octets
        "PROXY TCP4 1..3.4 5.6.7.8 1 2\r\n",           // empty octet
        "PROXY TCP4 ::1 5.6.7.8 1 2\r\n",              // IPv6 address under TCP4
        "PROXY TCP6 1.2.3.4 ::1 1 2\r\n",              // IPv4 address under TCP6
        "PROXY TCP6 [::1] ::1 1 2\r\n",                // brackets
        "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",         // zone id
        "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n",    // nine groups
        "PROXY TCP4 localhost 5.6.7.8 1 2\r\n",        // a name, never resolved
        "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n",      // port above 65535
        "PROXY TCP4 1.2.3.4 5.6.7.8 080 2\r\n",        // leading zero in a port
        "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n",         // negative port
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 +2\r\n",         // sign in a port
        "PROXY TCP4 1.2.3.4 5.6.7.8 100000 2\r\n",     // six digits
    })
    void malformedV1LineIsBadV1(String line) {
        assertRefused(ProxyRefusal.BAD_V1, ascii(line));
    }

    @Test
    void v1LineWithoutCrlfWithin107BytesIsTooLong() {
        byte[] line = new byte[ProxyHeaderParser.V1_MAX_BYTES];
        Arrays.fill(line, (byte) 'a');
        System.arraycopy(ascii("PROXY UNKNOWN "), 0, line, 0, 14);
        assertRefused(ProxyRefusal.TOO_LONG, line);
    }

    @Test
    void v1LineOf108BytesIsTooLong() {
        // the spec's 107-byte worst case with one more character before the CRLF
        assertRefused(ProxyRefusal.TOO_LONG, ascii(
                "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 655350\r\n"));
    }

    // ---- v2 (spec 2.2) ----

    @Test
    void brokenSignatureIsBadSignature() {
        assertRefused(ProxyRefusal.BAD_SIGNATURE, hex("0d0a0d0a000d0a515549540b", "21 11 000c", "7f000001 7f000001 0001 0002"));
    }

    @Test
    void crlfThenHttpIsBadSignature() {
        assertRefused(ProxyRefusal.BAD_SIGNATURE, ascii("\r\nGET / HTTP/1.1\r\n"));
    }

    @Test
    void version1NibbleIsBadVersion() {
        assertRefused(ProxyRefusal.BAD_VERSION, hex(SIGNATURE, "11", "11 000c", "7f000001 7f000001 0001 0002"));
    }

    @Test
    void version3NibbleIsBadVersion() {
        assertRefused(ProxyRefusal.BAD_VERSION, hex(SIGNATURE, "31", "11 000c", "7f000001 7f000001 0001 0002"));
    }

    @Test
    void command2IsBadCommand() {
        assertRefused(ProxyRefusal.BAD_COMMAND, hex(SIGNATURE, "22", "11 000c", "7f000001 7f000001 0001 0002"));
    }

    @Test
    void commandFIsBadCommand() {
        assertRefused(ProxyRefusal.BAD_COMMAND, hex(SIGNATURE, "2f", "11 000c", "7f000001 7f000001 0001 0002"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "10", "13", "20", "23", "30", "33", "41", "ff"})
    void undefinedFamilyByteIsBadFamily(String family) {
        assertRefused(ProxyRefusal.BAD_FAMILY, hex(SIGNATURE, "21", family, "000c", "7f000001 7f000001 0001 0002"));
    }

    @Test
    void badFamilyIsRefusedEvenForLocal() {
        assertRefused(ProxyRefusal.BAD_FAMILY, hex(SIGNATURE, "20", "44", "0000"));
    }

    @Test
    void inetLengthBelow12IsBadLength() {
        assertRefused(ProxyRefusal.BAD_LENGTH, hex(SIGNATURE, "21 11", "000b", "7f000001 7f000001 0001 00"));
    }

    @Test
    void inet6LengthBelow36IsBadLength() {
        assertRefused(ProxyRefusal.BAD_LENGTH, hex(SIGNATURE, "21 21", "000c", "7f000001 7f000001 0001 0002"));
    }

    @Test
    void unixLengthBelow216IsBadLength() {
        assertRefused(ProxyRefusal.BAD_LENGTH, hex(SIGNATURE, "21 31", "00d7"));
    }

    @Test
    void lengthAboveTheLimitIsTooLongBeforeBuffering() {
        // 16 + 0x4000 > 16384: refused from the fixed part alone, the rest never awaited
        assertRefused(ProxyRefusal.TOO_LONG, hex(SIGNATURE, "21 11", "4000", "7f000001 7f000001 0001 0002"));
    }

    @Test
    void tlvHeaderCutShortIsBadTlv() {
        assertRefused(ProxyRefusal.BAD_TLV, hex(SIGNATURE, "21 11", "000e", "7f000001 7f000001 0001 0002", "01 00"));
    }

    @Test
    void tlvValuePastTheHeaderIsBadTlv() {
        assertRefused(ProxyRefusal.BAD_TLV, hex(SIGNATURE, "21 11", "0010", "7f000001 7f000001 0001 0002", "01 0002 68"));
    }

    @Test
    void crcOfThreeBytesIsBadTlv() {
        assertRefused(ProxyRefusal.BAD_TLV, hex(SIGNATURE, "21 11", "0012", "7f000001 7f000001 0001 0002", "03 0003 000000"));
    }

    @Test
    void twoCrcsAreBadTlv() {
        assertRefused(ProxyRefusal.BAD_TLV, hex(SIGNATURE, "21 11", "001a", "7f000001 7f000001 0001 0002",
                "03 0004 00000000", "03 0004 00000000"));
    }

    @Test
    void uniqueIdOver128BytesIsBadTlv() {
        assertRefused(ProxyRefusal.BAD_TLV, concat(hex(SIGNATURE, "21 11", "0090", "7f000001 7f000001 0001 0002",
                "05 0081"), new byte[129]));
    }

    @Test
    void sslShorterThanItsFixedPartIsBadTlv() {
        assertRefused(ProxyRefusal.BAD_TLV, hex(SIGNATURE, "21 11", "0013", "7f000001 7f000001 0001 0002", "20 0004 01000000"));
    }

    @Test
    void sslSubTlvPastTheSslValueIsBadTlv() {
        assertRefused(ProxyRefusal.BAD_TLV, hex(SIGNATURE, "21 11", "0017", "7f000001 7f000001 0001 0002",
                "20 0008", "01 00000000", "21 0009"));  // sub-TLV VERSION claims 9 bytes, has 0
    }

    @Test
    void badTlvIsRefusedInLocalToo() {
        assertRefused(ProxyRefusal.BAD_TLV, hex(SIGNATURE, "20 00", "0002", "01 00"));
    }

    @Test
    void wrongCrcIsBadCrc() {
        byte[] header = ProxyVectors.V2_CRC.bytes().clone();
        header[ProxyVectors.CRC_VALUE_AT + 3] ^= 1;
        assertRefused(ProxyRefusal.BAD_CRC, header);
    }

    @Test
    void alteredAddressUnderCrcIsBadCrc() {
        byte[] header = ProxyVectors.V2_CRC.bytes().clone();
        header[19] ^= 1;  // last byte of the source address
        assertRefused(ProxyRefusal.BAD_CRC, header);
    }

    @Test
    void crcAfterOtherTlvsIsVerified() {
        byte[] header = withCrc(hex(SIGNATURE, "21 11", "0018", "7f000001 7f000001 0001 0002",
                "01 0002 6832", "03 0004 00000000"), 16 + 12 + 5 + 3);
        header[header.length - 1] ^= (byte) 0x80;
        assertRefused(ProxyRefusal.BAD_CRC, header);
    }
}
