package dev.sluice.balancer.tcp;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Connector;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.common.net.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;

/** A {@code mode tcp} frontend at run time: every connection is relayed to a server of its backend. */
public final class TcpFrontend {
    static final String RELAY = "tcp-relay";

    private final FrontendPlan plan;
    private final Backend backend;
    private final Connector connector;

    public TcpFrontend(FrontendPlan plan, Backend backend, Transport transport) {
        this.plan = plan;
        this.backend = backend;
        Timeouts serverSide = backend == null ? Timeouts.NONE : backend.plan().timeouts();
        this.connector = new Connector(transport, serverSide.connect(), new Nothing());
    }

    public void initClient(Channel channel) {
        channel.pipeline().addLast(RELAY, new TcpRelayHandler(this));
    }

    Backend backend() {
        return backend;
    }

    Connector connector() {
        return connector;
    }

    /** Inactivity allowed on a relayed pair: the shorter of {@code timeout client} and {@code server}. */
    Duration idleTimeout() {
        Duration client = plan.timeouts().client();
        Duration server = backend == null ? Duration.ZERO : backend.plan().timeouts().server();
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
