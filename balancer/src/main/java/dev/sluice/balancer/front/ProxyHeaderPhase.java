package dev.sluice.balancer.front;

import dev.sluice.balancer.io.Deadline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code accept-proxy}: the first bytes of the connection must be a PROXY v1 or v2 header, read
 * within {@code timeout client-hs}. Its source becomes the {@link ClientAddress}; then this phase
 * and its decoder leave the pipeline and the bytes after the header go on to the protocol handlers.
 * A missing, malformed or late header closes the connection.
 *
 * <p>This is the one place that knows which PROXY decoder runs (Netty's today; the strict one from
 * {@code dev.sluice.common.proxy} replaces it here).
 */
public final class ProxyHeaderPhase extends ChannelInboundHandlerAdapter {
    public static final String NAME = "proxy-header";
    private static final String DECODER = "proxy-header-decoder";
    private static final Logger log = LogManager.getLogger(ProxyHeaderPhase.class);

    private final Duration timeout;
    private Deadline deadline;

    public ProxyHeaderPhase(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.pipeline().addBefore(ctx.name(), DECODER, new HAProxyMessageDecoder());
        deadline = new Deadline(ctx.executor(), () -> {
            log.debug("{}: no PROXY header within {}", ctx.channel(), timeout);
            ctx.close();
        });
        deadline.arm(timeout);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws UnknownHostException {
        if (!(msg instanceof HAProxyMessage header)) {
            // The decoder passes nothing else before a header; anything here is a broken sequence.
            io.netty.util.ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        try {
            if (header.command() == HAProxyCommand.PROXY && isInet(header.proxiedProtocol())) {
                ClientAddress.set(ctx.channel(), new InetSocketAddress(source(header), header.sourcePort()));
            }
        } finally {
            header.release();
        }
        // The decoder removes itself once the header is out; the rest of its buffer flows on.
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Still waiting for (the rest of) the header: the channel reads on demand only.
        ctx.read();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: bad PROXY header: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /**
     * The source as the family the header states: an IPv4-mapped IPv6 source stays IPv6 (Java
     * would turn it into IPv4), so it is written back as HAProxy writes it ("::ffff:a.b.c.d").
     */
    private static InetAddress source(HAProxyMessage header) throws UnknownHostException {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
        if (bytes == null) {
            throw new UnknownHostException("not an IP address: " + header.sourceAddress());
        }
        return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
    }

    private static boolean isInet(HAProxyProxiedProtocol protocol) {
        return protocol == HAProxyProxiedProtocol.TCP4 || protocol == HAProxyProxiedProtocol.TCP6
                || protocol == HAProxyProxiedProtocol.UDP4 || protocol == HAProxyProxiedProtocol.UDP6;
    }
}
