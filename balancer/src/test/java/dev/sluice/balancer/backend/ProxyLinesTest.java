package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.front.ClientAddress;
import dev.sluice.balancer.runtime.ProxyLine;
import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.common.proxy.ProxyHeaderParser;
import dev.sluice.common.proxy.SslInfo;
import dev.sluice.common.proxy.Tlv;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PROXY header a server connection starts with, built from what the client connection knows. */
class ProxyLinesTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);
    private static final InetSocketAddress VIP = new InetSocketAddress("198.18.0.10", 443);
    private static final SslInfo SSL = new SslInfo(SslInfo.CLIENT_SSL | SslInfo.CLIENT_CERT_CONN, 0, "TLSv1.3",
            "alice", "TLS_AES_128_GCM_SHA256", "ECDSA-SHA256", "EC256");

    /** A client connection that came through the terminator: its PROXY header with SNI, ALPN and SSL TLVs. */
    private static EmbeddedChannel proxiedClient() {
        EmbeddedChannel client = new EmbeddedChannel();
        ProxyHeader received = ProxyHeader.proxy(CLIENT, VIP,
                List.of(Tlv.alpn("h2"), Tlv.authority("www.example.com"), Tlv.ssl(SSL)));
        client.attr(ProxyHeader.ATTRIBUTE).set(received);
        ClientAddress.set(client, CLIENT);
        return client;
    }

    @Test
    void theClientAndTheAddressItReachedAsTheTerminatorSaidWithoutTlvsUnasked() {
        ProxyHeader header = ProxyLines.forClient(proxiedClient(), new ProxyLine(2, false, false, false, false, false));
        assertEquals(ProxyHeader.Command.PROXY, header.command());
        assertEquals(CLIENT, header.source());
        assertEquals(VIP, header.destination());
        assertTrue(header.tlvs().isEmpty(), "no proxy-v2-options, no TLVs (the ALPN is never forwarded)");
    }

    @Test
    void optionsPickTheTlvsAndTheSslSubTlvs() {
        ProxyHeader header = ProxyLines.forClient(proxiedClient(), new ProxyLine(2, true, false, true, true, false));
        assertEquals("www.example.com", header.authority().orElseThrow());
        assertTrue(header.alpn().isEmpty());
        SslInfo ssl = header.ssl().orElseThrow();
        assertEquals("TLSv1.3", ssl.version());
        assertEquals("TLS_AES_128_GCM_SHA256", ssl.cipher());
        assertNull(ssl.cn(), "cert-cn not asked");
        assertNull(ssl.sigAlg());
        assertNull(ssl.keyAlg());
        assertEquals(SSL.client(), ssl.client());
        SslInfo withCn = ProxyLines.forClient(proxiedClient(), new ProxyLine(2, true, true, false, false, false))
                .ssl().orElseThrow();
        assertEquals("alice", withCn.cn());
        assertNull(withCn.cipher());
    }

    @Test
    void withoutIpEndpointsItIsLocal() {
        // An embedded channel's peer is not an IP address, as with a unix-socket client that sent no PROXY header.
        ProxyHeader header = ProxyLines.forClient(new EmbeddedChannel(), new ProxyLine(2, true, false, false, true, false));
        assertEquals(ProxyHeader.Command.LOCAL, header.command());
        SslInfo ssl = header.ssl().orElseThrow();
        assertFalse(ssl.ssl(), "a client that did not come over TLS: HAProxy's zeroed SSL TLV");
        assertEquals(0, ssl.verify());
        assertNull(ssl.version());
        assertTrue(header.authority().isEmpty());
    }

    @Test
    void encodesV1AndV2WithCrc32c() {
        EmbeddedChannel client = proxiedClient();
        EmbeddedChannel server = new EmbeddedChannel();
        ProxyLine v1 = new ProxyLine(1, false, false, false, false, false);
        ByteBuf line = ProxyLines.encode(server, ProxyLines.forClient(client, v1), v1);
        assertEquals("PROXY TCP4 192.0.2.7 198.18.0.10 40000 443\r\n", line.toString(StandardCharsets.US_ASCII));
        line.release();
        ProxyLine v2 = new ProxyLine(2, false, false, false, true, true);
        ByteBuf binary = ProxyLines.encode(server, ProxyLines.forClient(client, v2), v2);
        int end = binary.writerIndex();
        ProxyHeader parsed = ProxyHeaderParser.parse(binary, ProxyHeaderParser.V2_MAX_BYTES);
        assertEquals(end, binary.readerIndex(), "the whole header was read back (its CRC32C checked by the parser)");
        assertEquals(CLIENT, parsed.source());
        assertEquals("www.example.com", parsed.authority().orElseThrow());
        assertEquals(Tlv.CRC32C, binary.getUnsignedByte(end - 7), "the CRC32C TLV ends the header");
        binary.release();
    }

    @Test
    void sendWritesPastThePipelineAndNothingWithoutSendProxy() {
        EmbeddedChannel server = new EmbeddedChannel(new io.netty.handler.codec.http.HttpClientCodec());
        ProxyLines.send(server, proxiedClient(), ProxyLine.NONE);
        server.flush();
        assertNull(server.readOutbound(), "no send-proxy: nothing written");
        ProxyLines.send(server, proxiedClient(), new ProxyLine(1, false, false, false, false, false));
        server.flush();
        ByteBuf written = server.readOutbound();
        assertTrue(written.toString(StandardCharsets.US_ASCII).startsWith("PROXY TCP4 192.0.2.7 "));
        written.release();
        assertFalse(server.finish());
    }
}
