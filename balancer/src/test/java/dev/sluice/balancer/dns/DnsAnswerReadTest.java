package dev.sluice.balancer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.ResolversPlan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a DNS response means for a resolution: its status, addresses, SRV records and additional addresses. */
class DnsAnswerReadTest {

    private static DnsResponse response(DnsResponseCode code) {
        return new DefaultDnsResponse(1).setCode(code);
    }

    private static DefaultDnsRawRecord a(String name, int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        return new DefaultDnsRawRecord(name, bytes.length == 4 ? DnsRecordType.A : DnsRecordType.AAAA, 1,
                Unpooled.wrappedBuffer(raw));
    }

    private static ByteBuf srv(int weight, int port, String target) {
        ByteBuf content = Unpooled.buffer();
        content.writeShort(0).writeShort(weight).writeShort(port);
        for (String label : target.split("\\.")) {
            content.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        return content.writeByte(0);
    }

    @Test
    void statusesOfFailures() {
        assertEquals(DnsStatus.NX, read(response(DnsResponseCode.NXDOMAIN), DnsRecordType.A).status());
        assertEquals(DnsStatus.REFUSED, read(response(DnsResponseCode.REFUSED), DnsRecordType.A).status());
        assertEquals(DnsStatus.OTHER, read(response(DnsResponseCode.SERVFAIL), DnsRecordType.A).status());
        assertEquals(DnsStatus.OTHER, read(response(DnsResponseCode.NOERROR), DnsRecordType.A).status(),
                "an empty answer is HAProxy's 'other'");
    }

    @Test
    void addressesOfTheAskedTypeOnly() {
        DnsResponse response = response(DnsResponseCode.NOERROR);
        response.addRecord(DnsSection.ANSWER, a("app.test.", 10, 0, 0, 1));
        response.addRecord(DnsSection.ANSWER, a("app.test.", 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
        response.addRecord(DnsSection.ANSWER, a("app.test.", 10, 0, 0, 2));
        DnsAnswer answer = read(response, DnsRecordType.A);
        assertEquals(DnsStatus.VALID, answer.status());
        assertEquals(List.of(NetUtil.createInetAddressFromIpAddressString("10.0.0.1"),
                NetUtil.createInetAddressFromIpAddressString("10.0.0.2")), answer.addresses());
    }

    @Test
    void srvRecordsWithAdditionalAddresses() {
        DnsResponse response = response(DnsResponseCode.NOERROR);
        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord("_http._tcp.app.test.", DnsRecordType.SRV, 1,
                srv(1024, 8080, "one.app.test")));
        response.addRecord(DnsSection.ADDITIONAL, a("One.App.Test.", 10, 0, 0, 5));
        DnsAnswer answer = read(response, DnsRecordType.SRV);
        assertEquals(List.of(new DnsAnswer.SrvRecord("one.app.test.", 8080, 1024, 0)), answer.services());
        assertEquals(List.of(NetUtil.createInetAddressFromIpAddressString("10.0.0.5")),
                answer.additional().get("one.app.test"));
    }

    @Test
    void malformedRecordsAreSkipped() {
        DnsResponse response = response(DnsResponseCode.NOERROR);
        response.addRecord(DnsSection.ANSWER, a("app.test.", 10, 0, 0));
        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord("_s._tcp.x.", DnsRecordType.SRV, 1,
                Unpooled.wrappedBuffer(new byte[] {0, 1})));
        assertEquals(DnsStatus.OTHER, read(response, DnsRecordType.A).status());
        DnsResponse srvOnly = response(DnsResponseCode.NOERROR);
        srvOnly.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord("_s._tcp.x.", DnsRecordType.SRV, 1,
                Unpooled.wrappedBuffer(new byte[] {0, 1})));
        assertEquals(DnsStatus.OTHER, read(srvOnly, DnsRecordType.SRV).status());
    }

    @Test
    void holdDecidesWhenAFailureStopsTheServer() {
        ResolversPlan.Hold hold = new ResolversPlan.Hold(Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ZERO);
        long second = 1_000_000_000L;
        assertFalse(DnsStatus.NX.expires(0, second, hold));
        assertTrue(DnsStatus.NX.expires(0, 2 * second, hold));
        assertTrue(DnsStatus.OTHER.expires(0, second, hold));
        assertFalse(DnsStatus.REFUSED.expires(0, 2 * second, hold));
        assertFalse(DnsStatus.TIMEOUT.expires(0, 3 * second, hold));
        assertFalse(DnsStatus.VALID.expires(0, 100 * second, hold));
    }

    private static DnsAnswer read(DnsResponse response, DnsRecordType type) {
        try {
            return DnsQueries.read(response, type);
        } finally {
            response.release();
        }
    }
}
