package dev.sluice.balancer.front;

import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.StickTables;
import dev.sluice.balancer.stick.TcpRules;
import dev.sluice.balancer.stick.TrackedCounters;
import dev.sluice.balancer.stick.Tracking;
import dev.sluice.common.proxy.ProxyHeader;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A frontend's {@code tcp-request connection} and {@code tcp-request session} rules on a new
 * connection. Connection rules run at accept, before any byte is read, so they see the socket's
 * peer even behind {@code accept-proxy} (as in HAProxy); {@code expect-proxy layer4} makes the
 * connection expect a PROXY header, which lets a frontend trust the header from some sources only.
 * Session rules run once the PROXY header (if any) was read, so they see the client it names: that
 * is where per-client limits belong behind a terminator. A rejected connection is closed without a
 * byte and counted.
 */
public final class TcpRequestGate {
    private static final Logger log = LogManager.getLogger(TcpRequestGate.class);
    static final String SESSION_PHASE = "tcp-request-session";

    private final TcpRules rules;
    private final StateView state;
    private final StickTables tables;
    private final LongAdder rejectedConnections = new LongAdder();
    private final LongAdder rejectedSessions = new LongAdder();
    private final boolean countsBytes;

    public TcpRequestGate(TcpRules rules, StateView state) {
        this.rules = rules;
        this.state = state;
        this.tables = state.stickTables();
        this.countsBytes = tracksBytes(rules, tables);
    }

    /** Whether a track rule of this frontend feeds a table that stores byte counts. */
    private static boolean tracksBytes(TcpRules rules, StickTables tables) {
        for (var phase : java.util.List.of(rules.connection(), rules.session(), rules.content())) {
            for (var rule : phase) {
                var table = rule.table() == null ? null : tables.get(rule.table());
                if (table != null && (table.spec().stores(dev.sluice.balancer.stick.StickData.BYTES_IN_CNT)
                        || table.spec().stores(dev.sluice.balancer.stick.StickData.BYTES_IN_RATE)
                        || table.spec().stores(dev.sluice.balancer.stick.StickData.BYTES_OUT_CNT)
                        || table.spec().stores(dev.sluice.balancer.stick.StickData.BYTES_OUT_RATE))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Runs the connection rules and, when they accept, prepares the session rules. Call from the
     * channel initializer, before the protocol handlers are added.
     *
     * @param acceptProxy whether the bind itself requires a PROXY header
     * @param proxyPhase  adds the PROXY header phase to the pipeline
     * @return false when the connection was rejected (and closed): add nothing more
     */
    public boolean admit(Channel channel, boolean acceptProxy, Runnable proxyPhase) {
        if (countsBytes) {
            channel.pipeline().addFirst(dev.sluice.balancer.stick.ByteCounting.NAME,
                    dev.sluice.balancer.stick.ByteCounting.INSTANCE);
        }
        boolean expectProxy = acceptProxy;
        if (!rules.connection().isEmpty()) {
            TcpRules.Verdict verdict = TcpRules.run(rules.connection(), new ConnectionFacts(channel, state), channel,
                    tables);
            if (verdict == TcpRules.Verdict.REJECT || verdict == TcpRules.Verdict.SILENT_DROP) {
                reject(channel, rejectedConnections, "connection", verdict);
                return false;
            }
            expectProxy |= verdict == TcpRules.Verdict.ACCEPT_EXPECT_PROXY;
        }
        if (expectProxy) {
            proxyPhase.run();
        }
        if (!expectProxy) {
            return session(channel);
        }
        channel.pipeline().addLast(SESSION_PHASE, new SessionPhase());
        return true;
    }

    /** Connections refused by {@code tcp-request connection reject}. */
    public long rejectedConnections() {
        return rejectedConnections.sum();
    }

    /** Connections refused by {@code tcp-request session reject}. */
    public long rejectedSessions() {
        return rejectedSessions.sum();
    }

    private boolean session(Channel channel) {
        if (!rules.session().isEmpty()) {
            // A fresh view: the one of the connection rules cached the socket's addresses.
            TcpRules.Verdict verdict = TcpRules.run(rules.session(), new ConnectionFacts(channel, state), channel,
                    tables);
            if (verdict == TcpRules.Verdict.REJECT || verdict == TcpRules.Verdict.SILENT_DROP) {
                reject(channel, rejectedSessions, "session", verdict);
                return false;
            }
        }
        TrackedCounters counters = Tracking.existing(channel);
        if (counters != null) {
            counters.sessionAccepted();
        }
        return true;
    }

    private static void reject(Channel channel, LongAdder counter, String phase, TcpRules.Verdict verdict) {
        counter.increment();
        log.debug("{}: refused by tcp-request {} {}", channel, phase, verdict);
        if (verdict == TcpRules.Verdict.SILENT_DROP) {
            dev.sluice.common.net.SilentDrop.drop(channel);
        } else {
            channel.close();
        }
    }

    /** Waits for the PROXY header's event, then runs the session rules and leaves. */
    private final class SessionPhase extends ChannelInboundHandlerAdapter {
        private boolean rejected;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ProxyHeader && !rejected) {
                if (!session(ctx.channel())) {
                    rejected = true;
                    return;
                }
                ctx.pipeline().remove(this);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (rejected) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
