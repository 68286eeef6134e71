package dev.sluice.terminator.server;

import dev.sluice.terminator.config.ProxyMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what goes to the backend before the client's bytes, as hitch does: a PROXY v1 line, a
 * PROXY v2 header (TLVs in hitch's order: ALPN, AUTHORITY = SNI, SSL with VERSION and CIPHER), the
 * client address for write-ip, or the client's own PROXY header for proxy-proxy. The only class
 * that knows the PROXY encoding, so it can move to {@code dev.sluice.common.proxy} in one place.
 */
final class ProxyHeaderWriter {
    /** PP2_CLIENT_SSL: the client connected over TLS. */
    private static final byte PP2_CLIENT_SSL = 0x01;
    /** The SSL TLV's verify field: non-zero = no verified client certificate (hitch sends 1). */
    private static final int VERIFY_NO_CLIENT_CERTIFICATE = 1;
    private static final byte PP2_SUBTYPE_SSL_CIPHER = 0x23;
    /** Linux's address family numbers, which write-ip puts in its first octet. */
    private static final byte AF_INET = 2;
    private static final byte AF_INET6 = 10;

    private final ProxyMode mode;
    private final boolean sslTlv;
    private final boolean authorityTlv;

    ProxyHeaderWriter(ProxyMode mode, boolean sslTlv, boolean authorityTlv) {
        this.mode = mode;
        this.sslTlv = sslTlv;
        this.authorityTlv = authorityTlv;
    }

    /**
     * Writes (without flushing) the header for a client connection to {@code backend}.
     *
     * @param incoming the client's own header (proxy-proxy mode only); ownership passes here
     */
    void write(Channel backend, InetSocketAddress client, InetSocketAddress local, TlsFacts tls, HAProxyMessage incoming) {
        switch (mode) {
            case NONE -> { }
            case WRITE_IP -> backend.write(clientAddress(client.getAddress()), backend.voidPromise());
            case PROXY_V1 -> encode(backend, message(HAProxyProtocolVersion.V1, client, local, List.of()));
            case PROXY_V2 -> encode(backend, message(HAProxyProtocolVersion.V2, client, local, tlvs(tls)));
            case PROXY_PROXY -> encode(backend, incoming);
        }
    }

    private static void encode(Channel backend, HAProxyMessage message) {
        // The encoder runs inside write() on this event loop, so it can leave right after.
        backend.pipeline().addFirst(HAProxyMessageEncoder.INSTANCE);
        try {
            backend.write(message, backend.voidPromise());
        } finally {
            backend.pipeline().remove(HAProxyMessageEncoder.INSTANCE);
        }
    }

    private static HAProxyMessage message(HAProxyProtocolVersion version, InetSocketAddress client,
                                          InetSocketAddress local, List<HAProxyTLV> tlvs) {
        boolean ipv4 = client.getAddress() instanceof Inet4Address;
        HAProxyProxiedProtocol protocol = ipv4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6;
        return new HAProxyMessage(version, HAProxyCommand.PROXY, protocol,
                NetUtil.toAddressString(client.getAddress()), NetUtil.toAddressString(sameFamily(local.getAddress(), ipv4)),
                client.getPort(), local.getPort(), tlvs);
    }

    /**
     * A dual-stack listener may report the local address in the other family than the client's;
     * PROXY headers need one family. An IPv4-mapped address maps back; anything else becomes the
     * unspecified address of the client's family.
     */
    private static InetAddress sameFamily(InetAddress address, boolean ipv4) {
        if (ipv4 == address instanceof Inet4Address) {
            return address;
        }
        byte[] bytes = address.getAddress();
        try {
            if (ipv4 && bytes.length == 16 && isIpv4Mapped(bytes)) {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16));
            }
            return InetAddress.getByAddress(new byte[ipv4 ? 4 : 16]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private List<HAProxyTLV> tlvs(TlsFacts tls) {
        List<HAProxyTLV> tlvs = new ArrayList<>(3);
        if (tls.alpn() != null) {
            tlvs.add(new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_ALPN, ascii(tls.alpn())));
        }
        if (authorityTlv && tls.sni() != null) {
            tlvs.add(new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_AUTHORITY, ascii(tls.sni())));
        }
        if (sslTlv) {
            tlvs.add(new HAProxySSLTLV(VERIFY_NO_CLIENT_CERTIFICATE, PP2_CLIENT_SSL, List.of(
                    new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_SSL_VERSION, ascii(tls.protocol())),
                    new HAProxyTLV(PP2_SUBTYPE_SSL_CIPHER, ascii(tls.cipher())))));
        }
        return tlvs;
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** hitch's write-ip: one family octet, then the 4 or 16 address octets in network order. */
    static ByteBuf clientAddress(InetAddress address) {
        byte[] bytes = address.getAddress();
        ByteBuf out = Unpooled.buffer(1 + bytes.length);
        out.writeByte(bytes.length == 4 ? AF_INET : AF_INET6);
        out.writeBytes(bytes);
        return out;
    }
}
