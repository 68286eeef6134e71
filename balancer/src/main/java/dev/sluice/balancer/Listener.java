package dev.sluice.balancer;

import dev.sluice.balancer.front.TcpRequestGate;
import dev.sluice.balancer.http.H2Connection;
import dev.sluice.balancer.stats.SessionCounter;
import dev.sluice.balancer.front.AcceptGate;
import dev.sluice.balancer.front.ProxyHeaderPhase;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.common.proxy.ProxyCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One listening socket, which outlives reloads: its accepted connections go to whichever
 * configuration is current. A reload that keeps the address swaps the {@link Route} (what a new
 * connection is handed to) and the {@link AcceptGate} (the limits it is admitted against) on the
 * listener's event loop, so the socket and its accept backlog are never closed and no SYN is
 * refused. Connections accepted before the swap stay with the configuration that took them.
 */
final class Listener {
    /** The name of the accept gate in the listening channel's pipeline. */
    static final String GATE = "accept-gate";
    /** Netty's default for a listening channel: accepts taken per read when no limit applies. */
    static final int UNLIMITED_ACCEPTS_PER_READ = 16;

    /**
     * What one configuration does with a new connection on this listener.
     *
     * @param bind     the {@code bind} line (its pipeline-level options such as accept-proxy)
     * @param gate     the limits of that configuration
     * @param init     the frontend's pipeline builder
     * @param clients  the configuration's set of client connections (drained on reload or stop)
     * @param clientHs the deadline of the PROXY header
     * @param sessions   the frontend's session and byte counter (stats), first in every pipeline
     * @param tcpRequest the frontend's {@code tcp-request connection|session} rules, or null
     */
    record Route(BindPlan bind, AcceptGate gate, Consumer<Channel> init, Clients clients, Duration clientHs,
                 SessionCounter sessions, TcpRequestGate tcpRequest) {
        Route {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(gate, "gate");
            Objects.requireNonNull(init, "init");
            Objects.requireNonNull(clients, "clients");
            Objects.requireNonNull(clientHs, "clientHs");
            Objects.requireNonNull(sessions, "sessions");
        }
    }

    private final AtomicReference<Route> route;
    private final ProxyCounters proxyCounters = new ProxyCounters();
    private Channel channel;

    Listener(Route first) {
        this.route = new AtomicReference<>(first);
    }

    /**
     * Whether a listener bound for {@code existing} can serve {@code wanted} as it is: the same
     * address (port 0 asks for a fresh port, so it never matches). Every bind option that acts at
     * socket level must be compared here too; today's options (accept-proxy, maxconn, name) act
     * per connection and follow the swapped route.
     */
    static boolean reusableFor(BindPlan existing, BindPlan wanted) {
        SocketAddress address = wanted.address();
        if (address instanceof InetSocketAddress inet && inet.getPort() == 0) {
            return false;
        }
        // New socket settings need a new socket: SO_REUSEPORT lets it bind beside the old one.
        return address.equals(existing.address()) && existing.socket().equals(wanted.socket());
    }

    /** The pipeline builder of accepted connections: it reads the route current at that moment. */
    ChannelInitializer<Channel> childInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel child) {
                Route now = route.get();
                now.clients().joined(child);
                // First, so it sees every byte, PROXY header included (stats).
                child.pipeline().addLast(SessionCounter.NAME, now.sessions());
                Runnable proxyPhase = () -> child.pipeline().addLast(ProxyHeaderPhase.NAME,
                        new ProxyHeaderPhase(now.clientHs(), proxyCounters));
                if (now.tcpRequest() != null) {
                    // tcp-request connection/session rules decide before any protocol handler.
                    if (now.tcpRequest().admit(child, now.bind().acceptProxy(), proxyPhase)) {
                        markH2(now, child);
                        now.init().accept(child);
                    }
                    return;
                }
                if (now.bind().acceptProxy()) {
                    proxyPhase.run();
                }
                markH2(now, child);
                now.init().accept(child);
            }
        };
    }

    private static void markH2(Route route, Channel child) {
        if (route.bind().h2c()) {
            H2Connection.markPriorKnowledge(child);
        }
    }

    void bound(Channel listening) {
        this.channel = listening;
    }

    Channel channel() {
        return channel;
    }

    BindPlan bind() {
        return route.get().bind();
    }

    /**
     * Hands connections accepted from now on to {@code next}, on the listener's event loop: the
     * new gate replaces the old one and adopts the connections it held waiting for a slot.
     * Returns once done, so the caller may then drain the previous configuration.
     */
    @SuppressWarnings("deprecation")
    void swap(Route next) {
        channel.eventLoop().submit(() -> {
            Route previous = route.getAndSet(next);
            if (!channel.isOpen()) {
                return;
            }
            channel.config().setOption(ChannelOption.MAX_MESSAGES_PER_READ,
                    next.gate().limited() ? 1 : UNLIMITED_ACCEPTS_PER_READ);
            channel.pipeline().replace(previous.gate(), GATE, next.gate());
            next.gate().adopt(previous.gate());
        }).syncUninterruptibly();
    }
}
