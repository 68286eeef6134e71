package dev.sluice.balancer.tcp;

import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Connector;
import dev.sluice.balancer.log.AccessLog;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.route.Router;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.common.net.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@code mode tcp} frontend at run time: each connection is relayed to a server of the backend
 * its {@code use_backend} rules choose when the connection starts (after its PROXY header, if the
 * bind expects one), or, with {@code tcp-request content} rules, once they accepted the first bytes
 * ({@link ContentInspection}); the payload fetches then read those bytes. HTTP fetches find nothing.
 */
public final class TcpFrontend {
    static final String RELAY = "tcp-relay";

    /** A backend with the connector that applies its {@code timeout connect}. */
    record Target(Backend backend, Connector connector) {
    }

    private final FrontendPlan plan;
    private final AccessLog accessLog;
    private final Router<Target> router;
    private final StateView state;
    private final int bufsize;
    /** The server socket buffer sizes. */
    private final dev.sluice.balancer.runtime.GlobalTuning globalTuning;
    /** The frontend's figures for the stats (issue 9). */
    private final dev.sluice.balancer.stats.Counters counters = new dev.sluice.balancer.stats.Counters();

    public TcpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, Transport transport) {
        this(plan, backends, state, transport, AccessLog.OFF);
    }

    /** @param accessLog where this frontend's sessions are logged ({@link AccessLog#OFF} for nowhere) */
    public TcpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, Transport transport,
                       AccessLog accessLog) {
        this(plan, backends, state, transport, accessLog, dev.sluice.balancer.runtime.GlobalPlan.DEFAULT_BUFSIZE);
    }

    /** @param bufsize {@code tune.bufsize}: the most bytes held while {@code tcp-request content} rules inspect */
    public TcpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, Transport transport,
                       AccessLog accessLog, int bufsize) {
        this(plan, backends, state, transport, accessLog, bufsize, dev.sluice.balancer.runtime.GlobalTuning.DEFAULTS);
    }

    /** @param globalTuning tune.rcvbuf.server and tune.sndbuf.server for the server connections */
    public TcpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, Transport transport,
                       AccessLog accessLog, int bufsize, dev.sluice.balancer.runtime.GlobalTuning globalTuning) {
        this.bufsize = bufsize;
        this.accessLog = accessLog;
        this.globalTuning = java.util.Objects.requireNonNull(globalTuning, "globalTuning");
        this.plan = plan;
        this.state = state;
        Map<String, Target> targets = new HashMap<>();
        this.router = new Router<>(plan, name -> targets.computeIfAbsent(name, n -> new Target(backends.get(n),
                new Connector(transport, backends.get(n).plan().timeouts().connect(), new Nothing(),
                        backends.get(n).plan().tuning(), backends.get(n).plan().extras().noLinger(), globalTuning))));
    }


    public dev.sluice.balancer.stats.Counters counters() {
        return counters;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    public void initClient(Channel channel) {
        // A client may send its last bytes and its FIN before the server connection exists: the FIN
        // must wait for the relay (which passes it on as a half-close), not close the connection.
        channel.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
        ConnectionFacts facts = new ConnectionFacts(channel, state);
        java.util.List<dev.sluice.balancer.stick.TcpRule> content = plan.tcpRules().content();
        if (content.isEmpty()) {
            channel.pipeline().addLast(RELAY, new TcpRelayHandler(this, facts));
            return;
        }
        // As in HAProxy, only content rules make the connection wait for data (up to inspect-delay).
        // The access log starts now, so it counts the inspected bytes and logs a rejected session.
        dev.sluice.balancer.log.LogRecord record = dev.sluice.balancer.log.LogTap.attach(accessLog, channel);
        if (record != null) {
            record.readsVariablesOf(facts); // a session refused here logs its variables too
            channel.closeFuture().addListener(f -> channel.eventLoop().execute(record::endAfterClose));
        }
        channel.pipeline().addLast(ContentInspection.NAME, new ContentInspection(content,
                plan.tcpRules().inspectDelay(), bufsize, state.stickTables(), facts,
                ctx -> ctx.pipeline().addAfter(ctx.name(), RELAY, new TcpRelayHandler(this, facts)),
                () -> rejected(record)));
    }

    /** {@code tune.bufsize}: the most bytes content inspection holds. */
    int bufsize() {
        return bufsize;
    }

    /** The running stick tables, for {@code track-scN} in content rules. */
    dev.sluice.balancer.stick.StickTables stickTables() {
        return state.stickTables();
    }

    FrontendPlan plan() {
        return plan;
    }

    /** A {@code tcp-request content reject}: HAProxy counts a denied request (dreq) and logs "PR". */
    void rejected(dev.sluice.balancer.log.LogRecord record) {
        counters.deniedRequest();
        if (record != null) {
            record.terminated(dev.sluice.balancer.log.Termination.PROXY, dev.sluice.balancer.log.Termination.AT_REQUEST);
        }
    }

    /** The target of the first matching rule, else the default backend's; null when there is none. */
    Target choose(ConnectionFacts connection) {
        return router.choose(connection);
    }

    /** {@code timeout client-fin}: the idle limit once the client has sent its FIN (zero: unchanged). */
    Duration clientFin() {
        return plan.timeouts().clientFin();
    }

    /** Inactivity allowed on a relayed pair: the shorter of {@code timeout client} and {@code server}. */
    Duration idleTimeout(Backend backend) {
        Duration client = plan.timeouts().client();
        Duration server = backend.plan().timeouts().server();
        if (client.isZero()) {
            return server;
        }
        if (server.isZero()) {
            return client;
        }
        return client.compareTo(server) <= 0 ? client : server;
    }

    /** Server connections get their relay handler once connected. */
    @ChannelHandler.Sharable
    private static final class Nothing extends ChannelInboundHandlerAdapter {
    }
}
