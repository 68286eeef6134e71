package dev.sluice.balancer.backend;

import dev.sluice.balancer.front.ClientAddress;
import dev.sluice.balancer.runtime.ProxyLine;
import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.common.proxy.ProxyHeaderEncoder;
import dev.sluice.common.proxy.SslInfo;
import dev.sluice.common.proxy.Tlv;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The PROXY header a server connection starts with ({@code send-proxy}, {@code send-proxy-v2}), made
 * with common's encoder. It speaks for the client as the balancer sees it: the PROXY source and
 * destination the terminator sent when the bind has {@code accept-proxy}, otherwise the socket's
 * endpoints; the v2 TLVs asked by {@code proxy-v2-options} come from the terminator's TLVs.
 */
public final class ProxyLines {
    private static final SslInfo NOT_SSL = new SslInfo(0, 0, null, null, null, null, null);

    private ProxyLines() {
    }

    /**
     * The header for a connection made on behalf of {@code client}. Without two IP endpoints (a unix
     * socket peer that sent no PROXY header) it is v1's {@code PROXY UNKNOWN} or a v2 LOCAL, as HAProxy writes.
     */
    public static ProxyHeader forClient(Channel client, ProxyLine line) {
        ProxyHeader received = client.attr(ProxyHeader.ATTRIBUTE).get();
        if (received == null && client instanceof io.netty.handler.codec.http2.Http2StreamChannel) {
            // An HTTP/2 stream: the PROXY header arrived on its connection.
            received = client.parent().attr(ProxyHeader.ATTRIBUTE).get();
        }
        InetSocketAddress source = ClientAddress.of(client);
        SocketAddress destination = received != null && received.command() == ProxyHeader.Command.PROXY
                && received.destination() instanceof InetSocketAddress d ? d : client.localAddress();
        List<Tlv> tlvs = tlvs(received, line);
        if (source != null && destination instanceof InetSocketAddress target && !source.isUnresolved()
                && !target.isUnresolved()) {
            return ProxyHeader.proxy(source, target, tlvs);
        }
        return ProxyHeader.local(tlvs);
    }

    private static List<Tlv> tlvs(ProxyHeader received, ProxyLine line) {
        if (!line.withTlvs()) {
            return List.of();
        }
        List<Tlv> tlvs = new ArrayList<>(2);
        if (line.authority() && received != null) {
            received.authority().ifPresent(host -> tlvs.add(Tlv.authority(host)));
        }
        if (line.ssl()) {
            SslInfo ssl = received == null ? null : received.ssl().orElse(null);
            // Only what the options ask for: the version always, the CN and cipher when named. A client that
            // did not come over TLS gets HAProxy's zeroed SSL TLV (no client bits, verify 0, no sub-TLVs).
            tlvs.add(Tlv.ssl(ssl == null ? NOT_SSL : new SslInfo(ssl.client(), ssl.verify(), ssl.version(),
                    line.certCn() ? ssl.cn() : null, line.sslCipher() ? ssl.cipher() : null, null, null)));
        }
        return tlvs;
    }

    /** {@code header} encoded as {@code line} asks (version, CRC32C), in a buffer of {@code channel}'s allocator. */
    public static ByteBuf encode(Channel channel, ProxyHeader header, ProxyLine line) {
        if (line.version() == 1) {
            ByteBuf out = channel.alloc().ioBuffer(dev.sluice.common.proxy.ProxyHeaderParser.V1_MAX_BYTES);
            ProxyHeaderEncoder.encodeV1(header, out);
            return out;
        }
        ByteBuf out = channel.alloc().ioBuffer(ProxyHeaderEncoder.v2Length(header, line.crc32c()));
        ProxyHeaderEncoder.encodeV2(header, out, line.crc32c());
        return out;
    }

    /**
     * Writes the header for {@code client} as the first bytes of the new connection {@code server}, past every
     * handler of its pipeline (an HTTP encoder must not see it). Does nothing when {@code line} sends none.
     */
    public static void send(Channel server, Channel client, ProxyLine line) {
        if (!line.enabled()) {
            return;
        }
        ByteBuf bytes = encode(server, forClient(client, line), line);
        ChannelHandlerContext first = server.pipeline().firstContext();
        if (first == null) {
            server.write(bytes, server.voidPromise());
        } else {
            first.write(bytes, server.voidPromise());
        }
    }

    /**
     * Whether health checks of {@code server} start with a PROXY header: with {@code check-send-proxy}, or,
     * as HAProxy documents for {@code send-proxy}, when the checks go to the server's own address and port.
     * The header is LOCAL (v1: {@code PROXY UNKNOWN}), in the server's version, v1 when it sends none.
     */
    public static boolean checksSendProxy(dev.sluice.balancer.runtime.ServerPlan server) {
        dev.sluice.balancer.runtime.ServerConnections connections = server.connections();
        return connections.checkSendProxy() || (connections.proxyLine().enabled() && server.health().port() == 0
                && server.health().address() == null);
    }

    /**
     * A first pipeline handler for the balancer's own connections (health checks): writes a LOCAL header
     * when the connection opens, before any other handler speaks, then leaves the pipeline.
     */
    public static final class LocalSender extends ChannelInboundHandlerAdapter {
        private final ProxyLine line;

        public LocalSender(ProxyLine line) {
            this.line = line.enabled() ? line : line.withVersion(1);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(encode(ctx.channel(), ProxyHeader.local(), line), ctx.voidPromise());
            ctx.pipeline().remove(this);
            ctx.fireChannelActive();
        }
    }
}
