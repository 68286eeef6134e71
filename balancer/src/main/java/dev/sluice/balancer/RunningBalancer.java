package dev.sluice.balancer;

import dev.sluice.balancer.admin.CliServer;
import dev.sluice.balancer.admin.RuntimeApi;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.check.HealthChecks;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.http.HttpFrontend;
import dev.sluice.balancer.stats.StatsRegistry;
import io.netty.channel.Channel;
import dev.sluice.balancer.front.Drain;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started engine: where it listens, and how to stop it. */
public final class RunningBalancer implements AutoCloseable {
    /** The longest a stop waits for exchanges in flight before closing what is left. */
    static final long DRAIN_TIMEOUT_MILLIS = 5_000;
    private static final long DRAIN_POLL_MILLIS = 20;

    private final EventLoopGroup group;
    private final List<Channel> listeners;
    private final ChannelGroup clients;
    private final Map<String, List<SocketAddress>> bound;
    private final Map<String, HttpFrontend> httpFrontends;
    private final StatsRegistry stats;
    private final RuntimeApi runtimeApi;
    private final CliServer cli;
    private final Map<String, Backend> backends;
    private final HealthChecks checks;

    RunningBalancer(EventLoopGroup group, List<Channel> listeners, ChannelGroup clients,
                    Map<String, List<SocketAddress>> bound, Map<String, HttpFrontend> httpFrontends) {
        this(group, listeners, clients, bound, httpFrontends, null, null, null, Map.of(), null);
    }

    /** @param checks the running health checks, stopped on close (null: none) */
    RunningBalancer(EventLoopGroup group, List<Channel> listeners, ChannelGroup clients,
                    Map<String, List<SocketAddress>> bound, Map<String, HttpFrontend> httpFrontends,
                    StatsRegistry stats, RuntimeApi runtimeApi, CliServer cli,
                    Map<String, Backend> backends, HealthChecks checks) {
        this.stats = stats;
        this.runtimeApi = runtimeApi;
        this.cli = cli;
        this.group = group;
        this.listeners = List.copyOf(listeners);
        this.clients = clients;
        this.bound = Map.copyOf(bound);
        this.httpFrontends = Map.copyOf(httpFrontends);
        this.backends = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(backends));
        this.checks = checks;
    }

    /** The running backends by name, in configuration order (for the runtime API and the stats page). */
    public Map<String, Backend> backends() {
        return backends;
    }

    /** The run-time backend of that name (servers, queues), or {@code null}. */
    public Backend backend(String name) {
        return backends.get(name);
    }

    /** Every listening address, in plan order (a port 0 in the plan shows the port chosen). */
    public List<SocketAddress> boundAddresses() {
        List<SocketAddress> all = new ArrayList<>();
        for (Channel listener : listeners) {
            all.add(listener.localAddress());
        }
        return all;
    }

    /** The listening addresses of one frontend, in bind order. */
    public List<SocketAddress> boundAddresses(String frontend) {
        return bound.getOrDefault(frontend, List.of());
    }

    /** The run-time state of an HTTP frontend (refusal counters), or {@code null}. */
    public HttpFrontend httpFrontend(String name) {
        return httpFrontends.get(name);
    }

    /** Every live figure, as the stats page and the runtime API read them. */
    public StatsRegistry stats() {
        return stats;
    }

    /** The runtime API, to register more commands ({@code runtimeApi().commands().register(...)}). */
    public RuntimeApi runtimeApi() {
        return runtimeApi;
    }

    /** Where the {@code stats socket} listeners are, in config order. */
    public List<SocketAddress> statsSocketAddresses() {
        return cli == null ? List.of() : cli.addresses();
    }

    /** Client connections open right now. */
    public int openConnections() {
        return clients.size();
    }

    /**
     * Stops gracefully: stops accepting, tells every connection to drain (idle kept-alive HTTP
     * connections close at once, exchanges in flight finish and then close), waits for them up
     * to {@link #DRAIN_TIMEOUT_MILLIS}, then closes what is left and stops the event loops.
     */
    @Override
    public void close() {
        if (cli != null) {
            cli.close();
        }
        if (checks != null) {
            checks.close();
        }
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        for (Channel client : clients) {
            client.eventLoop().execute(() -> client.pipeline().fireUserEventTriggered(Drain.EVENT));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MILLIS);
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        clients.close().awaitUninterruptibly();
        group.shutdownGracefully(0, DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
}
