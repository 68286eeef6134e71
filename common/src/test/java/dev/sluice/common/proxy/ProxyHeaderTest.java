package dev.sluice.common.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.unix.DomainSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model validates at construction and its typed views read the TLVs. */
class ProxyHeaderTest {
    @Test
    void typedViewsReadTheTlvs() {
        ProxyHeader header = ProxyVectors.V2_TLVS.header();
        assertEquals("h2", header.alpn().orElseThrow());
        assertEquals("example.com", header.authority().orElseThrow());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, header.uniqueId().orElseThrow());
        assertEquals("blue", header.netns().orElseThrow());
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF}, header.tlv(0xE0).orElseThrow());
        SslInfo ssl = header.ssl().orElseThrow();
        assertTrue(ssl.ssl());
        assertTrue(ssl.verified());
        assertEquals("TLSv1.3", ssl.version());
        assertEquals("client", ssl.cn());
        assertEquals("TLS_AES_128_GCM_SHA256", ssl.cipher());
        assertEquals("RSA256", ssl.sigAlg());
        assertEquals("RSA2048", ssl.keyAlg());
        assertTrue(header.tlv(0xE1).isEmpty());
    }

    @Test
    void tlvValuesCannotBeChangedFromOutside() {
        byte[] value = {1, 2};
        Tlv tlv = Tlv.of(0xE0, value);
        value[0] = 9;
        tlv.value()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, tlv.value());
    }

    @Test
    void addressesMustMatchTheFamily() {
        var v4 = ProxyVectors.inet("1.2.3.4", 1);
        var v6 = ProxyVectors.inet6("::1", 1);
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeader(ProxyHeader.Command.PROXY, ProxyHeader.Family.INET,
                ProxyHeader.Transport.STREAM, v4, v6, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeader(ProxyHeader.Command.PROXY, ProxyHeader.Family.INET6,
                ProxyHeader.Transport.STREAM, v4, v4, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeader(ProxyHeader.Command.LOCAL, ProxyHeader.Family.INET,
                ProxyHeader.Transport.STREAM, v4, v4, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeader(ProxyHeader.Command.PROXY, ProxyHeader.Family.INET,
                ProxyHeader.Transport.UNSPEC, v4, v4, List.of()));
        assertThrows(IllegalArgumentException.class, () -> ProxyHeader.proxy(ProxyHeader.Transport.STREAM,
                new DomainSocketAddress("/" + "x".repeat(108)), new DomainSocketAddress("/y"), List.of()));
    }

    @Test
    void tlvBoundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Tlv.of(256, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Tlv.uniqueId(new byte[129]));
        assertThrows(ProxyRefusedException.class, () -> ProxyHeader.local(List.of(Tlv.of(Tlv.SSL, new byte[4]))));
    }

    @Test
    void sslInfoRoundTrips() {
        SslInfo ssl = new SslInfo(SslInfo.CLIENT_SSL, 1, "TLSv1.2", null, "ECDHE-RSA-AES128-GCM-SHA256", null, null);
        assertEquals(ssl, SslInfo.parse(ssl.toBytes()));
        assertFalse(ssl.verified());
    }

    @Test
    void refusalsHaveDistinctCodes() {
        assertEquals(ProxyRefusal.values().length,
                java.util.Arrays.stream(ProxyRefusal.values()).map(ProxyRefusal::code).distinct().count());
    }
}
