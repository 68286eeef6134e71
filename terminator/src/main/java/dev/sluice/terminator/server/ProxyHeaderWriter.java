package dev.sluice.terminator.server;

import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.common.proxy.ProxyHeaderEncoder;
import dev.sluice.common.proxy.SslInfo;
import dev.sluice.common.proxy.Tlv;
import dev.sluice.terminator.config.ProxyMode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes what goes to the backend before the client's bytes, as hitch does: a PROXY v1 line, a
 * PROXY v2 header (TLVs in hitch's order: ALPN, AUTHORITY = SNI, SSL with VERSION and CIPHER), the
 * client address for write-ip, or the client's own PROXY header for proxy-proxy. Headers are
 * encoded by {@code dev.sluice.common.proxy} straight into one buffer from the backend's allocator.
 */
final class ProxyHeaderWriter {
    /** The SSL TLV's verify field: non-zero = no verified client certificate (hitch sends 1). */
    private static final int VERIFY_NO_CLIENT_CERTIFICATE = 1;
    /** A v1 line is at most 107 bytes (proxy-protocol.txt, section 2.1). */
    private static final int V1_MAX_BYTES = 107;
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
     * @param incoming the client's own header (proxy-proxy mode only), as decoded on its connection
     */
    void write(Channel backend, InetSocketAddress client, InetSocketAddress local, TlsFacts tls, ProxyHeader incoming) {
        switch (mode) {
            case NONE -> { }
            case WRITE_IP -> backend.write(clientAddress(backend, client.getAddress()), backend.voidPromise());
            case PROXY_V1 -> writeV1(backend, header(client, local, List.of()));
            case PROXY_V2 -> writeV2(backend, header(client, local, tlvs(tls)));
            case PROXY_PROXY -> writeV1(backend, incoming); // hitch passes PROXY v1 lines on as v1
        }
    }

    private static void writeV1(Channel backend, ProxyHeader header) {
        ByteBuf out = backend.alloc().buffer(V1_MAX_BYTES);
        ProxyHeaderEncoder.encodeV1(header, out);
        backend.write(out, backend.voidPromise());
    }

    private static void writeV2(Channel backend, ProxyHeader header) {
        ByteBuf out = backend.alloc().buffer(ProxyHeaderEncoder.v2Length(header, false));
        ProxyHeaderEncoder.encodeV2(header, out, false);
        backend.write(out, backend.voidPromise());
    }

    private static ProxyHeader header(InetSocketAddress client, InetSocketAddress local, List<Tlv> tlvs) {
        boolean ipv4 = client.getAddress() instanceof Inet4Address;
        return ProxyHeader.proxy(client, new InetSocketAddress(sameFamily(local.getAddress(), ipv4), local.getPort()), tlvs);
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
                return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
            }
            return InetAddress.getByAddress(new byte[ipv4 ? 4 : 16]);
        } catch (UnknownHostException e) {
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

    private List<Tlv> tlvs(TlsFacts tls) {
        List<Tlv> tlvs = new ArrayList<>(3);
        if (tls.alpn() != null) {
            tlvs.add(Tlv.alpn(tls.alpn()));
        }
        if (authorityTlv && tls.sni() != null) {
            tlvs.add(Tlv.authority(tls.sni()));
        }
        if (sslTlv) {
            tlvs.add(Tlv.ssl(new SslInfo(SslInfo.CLIENT_SSL, VERIFY_NO_CLIENT_CERTIFICATE, tls.protocol(), null,
                                         tls.cipher(), null, null)));
        }
        return tlvs;
    }

    /** hitch's write-ip: one family octet, then the 4 or 16 address octets in network order. */
    static ByteBuf clientAddress(Channel backend, InetAddress address) {
        byte[] bytes = address.getAddress();
        ByteBuf out = backend.alloc().buffer(1 + bytes.length);
        out.writeByte(bytes.length == 4 ? AF_INET : AF_INET6);
        out.writeBytes(bytes);
        return out;
    }
}
