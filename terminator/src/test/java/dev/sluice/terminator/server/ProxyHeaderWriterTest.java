package dev.sluice.terminator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.terminator.config.ProxyMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyHeaderWriterTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 43768);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("198.51.100.1", 443);
    private static final TlsFacts TLS12 = new TlsFacts("TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384", "http/1.1",
                                                       "example.com", false);

    private static String written(ProxyMode mode, boolean tlv, boolean authority, InetSocketAddress client,
                                  InetSocketAddress local, TlsFacts tls, ProxyHeader incoming) {
        EmbeddedChannel backend = new EmbeddedChannel();
        new ProxyHeaderWriter(mode, tlv, authority).write(backend, client, local, tls, incoming);
        backend.flush();
        ByteBuf out = backend.readOutbound();
        assertNull(backend.pipeline().first(), "the encoder must leave the backend pipeline");
        if (out == null) {
            return "";
        }
        String hex = ByteBufUtil.hexDump(out);
        out.release();
        backend.finishAndReleaseAll();
        return hex;
    }

    @Test
    void proxyV2InHitchsLayout() {
        // The layout hitch 1.7.2 sent in HitchComparisonIT: ALPN, AUTHORITY, SSL(client=1, verify=1, VERSION, CIPHER).
        String expected = "0d0a0d0a000d0a515549540a" + "21" + "11" + "0057"
                + "c0000207" + "c6336401" + "aaf8" + "01bb"
                + "010008" + hex("http/1.1")
                + "02000b" + hex("example.com")
                + "20002f" + "01" + "00000001"
                + "210007" + hex("TLSv1.2")
                + "23001d" + hex("ECDHE-ECDSA-AES256-GCM-SHA384");
        assertEquals(expected, written(ProxyMode.PROXY_V2, true, true, CLIENT, LOCAL, TLS12, null));
    }

    @Test
    void proxyV2WithoutOptionalTlvs() {
        TlsFacts bare = new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, null, false);
        String expected = "0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "c0000207" + "c6336401" + "aaf8" + "01bb";
        assertEquals(expected, written(ProxyMode.PROXY_V2, false, true, CLIENT, LOCAL, bare, null));
        String alpnOnly = "0d0a0d0a000d0a515549540a" + "21" + "11" + "0017" + "c0000207" + "c6336401" + "aaf8" + "01bb"
                + "010008" + hex("http/1.1");
        assertEquals(alpnOnly, written(ProxyMode.PROXY_V2, false, false, CLIENT, LOCAL, TLS12, null),
                     "proxy-tlv off and proxy-authority off leave only ALPN");
    }

    @Test
    void proxyV1Line() {
        assertEquals(hex("PROXY TCP4 192.0.2.7 198.51.100.1 43768 443\r\n"),
                     written(ProxyMode.PROXY_V1, true, true, CLIENT, LOCAL, TLS12, null));
        assertEquals(hex("PROXY TCP6 2001:db8::7 2001:db8::1 43768 443\r\n"),
                     written(ProxyMode.PROXY_V1, true, true, new InetSocketAddress("2001:db8::7", 43768),
                             new InetSocketAddress("2001:db8::1", 443), TLS12, null));
    }

    @Test
    void ipv4ClientOnAnIpv6MappedLocalAddress() {
        assertEquals(hex("PROXY TCP4 192.0.2.7 198.51.100.1 43768 443\r\n"),
                     written(ProxyMode.PROXY_V1, true, true, CLIENT,
                             new InetSocketAddress("::ffff:198.51.100.1", 443), TLS12, null));
    }

    @Test
    void writeIpIsFamilyThenAddress() {
        assertEquals("02" + "c0000207", written(ProxyMode.WRITE_IP, true, true, CLIENT, LOCAL, TLS12, null));
        assertEquals("0a" + "20010db8000000000000000000000007", written(ProxyMode.WRITE_IP, true, true,
                new InetSocketAddress("2001:db8::7", 1), LOCAL, TLS12, null));
    }

    @Test
    void proxyProxyForwardsTheClientsHeader() {
        ProxyHeader incoming = ProxyHeader.proxy(new InetSocketAddress("203.0.113.9", 5000),
                new InetSocketAddress("192.0.2.1", 443), List.of());
        assertEquals(hex("PROXY TCP4 203.0.113.9 192.0.2.1 5000 443\r\n"),
                     written(ProxyMode.PROXY_PROXY, true, true, CLIENT, LOCAL, TLS12, incoming));
    }

    @Test
    void noneWritesNothing() {
        assertEquals("", written(ProxyMode.NONE, true, true, CLIENT, LOCAL, TLS12, null));
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }
}
