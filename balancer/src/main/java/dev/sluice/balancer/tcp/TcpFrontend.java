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
 * bind expects one). Only layer-4 facts exist then: addresses, ports and PROXY TLVs; HTTP fetches
 * find nothing, so a condition on them does not match.
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
    /** The frontend's figures for the stats (issue 9). */
    private final dev.sluice.balancer.stats.Counters counters = new dev.sluice.balancer.stats.Counters();

    public TcpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, Transport transport) {
        this(plan, backends, state, transport, AccessLog.OFF);
    }

    /** @param accessLog where this frontend's sessions are logged ({@link AccessLog#OFF} for nowhere) */
    public TcpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, Transport transport,
                       AccessLog accessLog) {
        this.accessLog = accessLog;
        this.plan = plan;
        this.state = state;
        Map<String, Target> targets = new HashMap<>();
        this.router = new Router<>(plan, name -> targets.computeIfAbsent(name, n -> new Target(backends.get(n),
                new Connector(transport, backends.get(n).plan().timeouts().connect(), new Nothing(),
                        backends.get(n).plan().tuning()))));
    }

    public dev.sluice.balancer.stats.Counters counters() {
        return counters;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    public void initClient(Channel channel) {
        channel.pipeline().addLast(RELAY, new TcpRelayHandler(this, new ConnectionFacts(channel, state)));
    }

    /** The target of the first matching rule, else the default backend's; null when there is none. */
    Target choose(ConnectionFacts connection) {
        return router.choose(connection);
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
