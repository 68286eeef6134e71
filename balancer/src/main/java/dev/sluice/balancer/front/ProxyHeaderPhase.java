package dev.sluice.balancer.front;

import dev.sluice.common.proxy.ProxyAcceptance;
import dev.sluice.common.proxy.ProxyCounters;
import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.common.proxy.ProxyHeaderDecoder;
import dev.sluice.common.proxy.ProxyRefusal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code accept-proxy}: the first bytes of the connection must be a PROXY v1 or v2 header, read
 * within {@code timeout client-hs} by the strict decoder of {@code dev.sluice.common.proxy}. Its
 * source becomes the {@link ClientAddress} (a LOCAL or UNKNOWN header keeps the socket's peer);
 * then the decoder and this phase leave the pipeline and the bytes after the header go on to the
 * protocol handlers. A missing, malformed or late header is counted by reason and closes the
 * connection.
 */
public final class ProxyHeaderPhase extends ChannelInboundHandlerAdapter {
    public static final String NAME = "proxy-header";
    private static final String DECODER = "proxy-header-decoder";
    private static final Logger log = LogManager.getLogger(ProxyHeaderPhase.class);

    private final ProxyAcceptance acceptance;
    private final ProxyCounters counters;
    /** Where a failed header is logged (HAProxy's connection error line); null when the frontend does not log. */
    private final dev.sluice.balancer.log.ConnectionErrorLog errors;
    private long acceptMillis;
    private long acceptNanos;
    private boolean refused;

    public ProxyHeaderPhase(Duration timeout, ProxyCounters counters) {
        this(timeout, counters, null);
    }

    /** @param errors logs a refused or missing header; null for none */
    public ProxyHeaderPhase(Duration timeout, ProxyCounters counters, dev.sluice.balancer.log.ConnectionErrorLog errors) {
        this.acceptance = ProxyAcceptance.required().withDeadline(timeout);
        this.counters = counters;
        this.errors = errors;
    }

    public ProxyHeaderPhase(Duration timeout) {
        this(timeout, new ProxyCounters());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (errors != null) {
            // Added as the connection is accepted: the accept date of an error line.
            acceptMillis = System.currentTimeMillis();
            acceptNanos = System.nanoTime();
        }
        ctx.pipeline().addBefore(ctx.name(), DECODER, new ProxyHeaderDecoder(acceptance, counters));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Still here: the header never came (a refusal was logged already).
        if (errors != null && !refused) {
            errors.proxyMissing(ctx.channel(), acceptMillis, acceptNanos);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ProxyHeader header) {
            if (header.command() == ProxyHeader.Command.PROXY && header.source() instanceof InetSocketAddress source) {
                ClientAddress.set(ctx.channel(), source);
            }
            // The decoder has left; the bytes after the header follow this event. Handlers that
            // wait for the connection's real addresses (tcp-mode rules) start on the event.
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(header);
            return;
        }
        if (event instanceof ProxyRefusal refusal) {
            log.debug("{}: PROXY header refused: {} ({})", ctx.channel(), refusal.code(), refusal.sentence());
            refused = true;
            if (errors != null) {
                errors.proxyRefused(ctx.channel(), refusal, acceptMillis, acceptNanos); // access log: error line
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
