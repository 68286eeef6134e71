package dev.sluice.balancer;

import dev.sluice.balancer.admin.CliServer;
import dev.sluice.balancer.admin.RuntimeApi;
import dev.sluice.balancer.check.HealthChecks;
import dev.sluice.balancer.stats.StatsRegistry;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.front.Drain;
import dev.sluice.balancer.http.HttpFrontend;
import dev.sluice.balancer.runtime.ProcessPlan;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A started configuration: where it listens, its backends, and how to stop it. After a
 * {@link Balancer#reload reload} the previous one is retired: it accepts nothing more and its
 * connections finish (see {@link #retire()}).
 */
public final class RunningBalancer implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(RunningBalancer.class);
    /** The longest a stop waits for exchanges in flight before closing what is left. */
    static final long DRAIN_TIMEOUT_MILLIS = 5_000;
    /**
     * The longest a retired configuration's connections may stay (HAProxy's hard-stop-after):
     * each connection ends by its own timeouts long before, unless a tunnel or tcp relay is busy.
     */
    static final long RETIRE_LIMIT_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final long DRAIN_POLL_MILLIS = 20;

    private final Engine engine;
    private final List<Listener> listeners;
    private final Clients clients;
    private final Map<String, List<SocketAddress>> bound;
    private final Map<String, HttpFrontend> httpFrontends;
    private final Map<String, Backend> backends;
    private final Parts parts;
    private final ProcessPlan process;

    /**
     * What a configuration runs beside its listeners, stopped when it retires or stops: the
     * stats registry and runtime API (with its sockets), health checks, and periodic jobs such
     * as the stick-table sweep (each may be null).
     */
    record Parts(StatsRegistry stats, RuntimeApi runtimeApi, CliServer cli, HealthChecks checks,
                 java.util.concurrent.Future<?> sweep, dev.sluice.balancer.dns.DnsResolvers dns,
                 dev.sluice.balancer.peers.Peers peers) {
        static final Parts NONE = new Parts(null, null, null, null, null);

        /** Parts without peers sections. */
        Parts(StatsRegistry stats, RuntimeApi runtimeApi, CliServer cli, HealthChecks checks,
              java.util.concurrent.Future<?> sweep, dev.sluice.balancer.dns.DnsResolvers dns) {
            this(stats, runtimeApi, cli, checks, sweep, dns, null);
        }

        /** Parts without run-time DNS. */
        Parts(StatsRegistry stats, RuntimeApi runtimeApi, CliServer cli, HealthChecks checks,
              java.util.concurrent.Future<?> sweep) {
            this(stats, runtimeApi, cli, checks, sweep, null);
        }

        /** Stops the runtime API sockets, the checks and the jobs (idempotent). */
        void stop() {
            if (cli != null) {
                cli.close();
            }
            if (checks != null) {
                checks.close();
            }
            if (sweep != null) {
                sweep.cancel(false);
            }
            if (dns != null) {
                dns.close();
            }
            if (peers != null) {
                peers.close();
            }
        }
    }

    /** The running {@code peers} sections and their tables ({@link dev.sluice.balancer.peers.Peers#NONE} if none). */
    public dev.sluice.balancer.peers.Peers peers() {
        return parts.peers() == null ? dev.sluice.balancer.peers.Peers.NONE : parts.peers();
    }

    RunningBalancer(Engine engine, List<Listener> listeners, Clients clients, Map<String, List<SocketAddress>> bound,
                    Map<String, HttpFrontend> httpFrontends, Map<String, Backend> backends, Parts parts) {
        this(engine, listeners, clients, bound, httpFrontends, backends, parts, ProcessPlan.DEFAULTS);
    }

    /** As above; {@code process} holds hard-stop-after, the limit of {@link #retire()} and {@link #close()}. */
    RunningBalancer(Engine engine, List<Listener> listeners, Clients clients, Map<String, List<SocketAddress>> bound,
                    Map<String, HttpFrontend> httpFrontends, Map<String, Backend> backends, Parts parts,
                    ProcessPlan process) {
        this.process = java.util.Objects.requireNonNull(process, "process");
        this.engine = engine;
        this.listeners = List.copyOf(listeners);
        this.clients = clients;
        this.bound = Map.copyOf(bound);
        this.httpFrontends = Map.copyOf(httpFrontends);
        this.backends = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(backends));
        this.parts = parts;
    }

    Engine engine() {
        return engine;
    }

    /** Every listening address, in plan order (a port 0 in the plan shows the port chosen). */
    public List<SocketAddress> boundAddresses() {
        List<SocketAddress> all = new ArrayList<>();
        for (Listener listener : listeners) {
            all.add(listener.channel().localAddress());
        }
        return all;
    }

    /** The listening channels, in plan order: their socket options, for tests. */
    List<io.netty.channel.Channel> listenerChannels() {
        return listeners.stream().map(Listener::channel).toList();
    }

    /** The client connections open now: their socket options, for tests. */
    List<io.netty.channel.Channel> clientChannels() {
        return clients.snapshot();
    }

    /** The listening addresses of one frontend, in bind order. */
    public List<SocketAddress> boundAddresses(String frontend) {
        return bound.getOrDefault(frontend, List.of());
    }

    /** The run-time state of an HTTP frontend (refusal counters), or {@code null}. */
    public HttpFrontend httpFrontend(String name) {
        return httpFrontends.get(name);
    }

    /** The run-time backend of that name (servers, queue), or {@code null}. */
    public Backend backend(String name) {
        return backends.get(name);
    }

    /** The running backends by name, in configuration order (for the runtime API and the stats page). */
    public Map<String, Backend> backends() {
        return backends;
    }

    /** Every live figure, as the stats page and the runtime API read them. */
    public StatsRegistry stats() {
        return parts.stats();
    }

    /** The runtime API, to register more commands ({@code runtimeApi().commands().register(...)}). */
    public RuntimeApi runtimeApi() {
        return parts.runtimeApi();
    }

    /** Where the {@code stats socket} listeners are, in config order. */
    public List<SocketAddress> statsSocketAddresses() {
        return parts.cli() == null ? List.of() : parts.cli().addresses();
    }

    /** Client connections of this configuration open right now. */
    public int openConnections() {
        return clients.size();
    }

    /** Client connections of configurations retired by reloads that are still open. */
    public int retiringConnections() {
        int open = 0;
        for (RunningBalancer old : engine.retiring()) {
            open += old.clients.size();
        }
        return open;
    }

    /**
     * Called by a reload once the listeners hand new connections to the next configuration: each
     * connection finishes its exchange in flight and closes at its next response or idle timeout
     * ({@link Drain#RELOAD}); a background thread waits for them (at most
     * {@link #RETIRE_LIMIT_MILLIS}) and then closes this configuration's idle server connections.
     */
    void retire() {
        // Its runtime API sockets were closed before the next configuration bound them (see Balancer.reload).
        parts.stop();
        engine.retiring(this);
        clients.drain(Drain.RELOAD);
        // hard-stop-after, when set, bounds how long they may stay (HAProxy's meaning for old processes).
        long limitMillis = process.limitMillis(RETIRE_LIMIT_MILLIS);
        Thread.ofPlatform().daemon().name("retire-previous-config").start(() -> {
            waitForClients(limitMillis);
            if (!clients.isEmpty()) {
                log.warn("reload: closing {} connection(s) of the previous configuration still open after {} ms",
                        clients.size(), limitMillis);
                clients.closeAll();
            }
            closeIdleServerConnections();
            engine.retired(this);
            log.info("reload: the previous configuration has finished its connections");
        });
    }

    /**
     * Stops the whole engine gracefully (this configuration and any still draining from a
     * reload): stops accepting, tells every connection to drain (idle kept-alive HTTP connections
     * close at once, exchanges in flight finish and then close), waits for them up to
     * {@link #DRAIN_TIMEOUT_MILLIS}, then closes what is left and stops the event loops.
     */
    @Override
    public void close() {
        parts.stop();
        if (engine.current() != null && engine.current() != this) {
            engine.current().parts.stop();
        }
        for (Listener listener : engine.listeners()) {
            listener.channel().close().awaitUninterruptibly();
        }
        List<RunningBalancer> all = new ArrayList<>(engine.retiring());
        all.add(this);
        if (engine.current() != null && engine.current() != this) {
            all.add(engine.current());
        }
        for (RunningBalancer running : all) {
            running.clients.drain(Drain.EVENT);
        }
        // A soft stop waits for exchanges in flight up to hard-stop-after, else the built-in limit.
        long limitMillis = process.limitMillis(DRAIN_TIMEOUT_MILLIS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        for (RunningBalancer running : all) {
            running.waitForClients(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (!running.clients.isEmpty()) {
                log.warn("stop: closing {} connection(s) still open after {} ms", running.clients.size(), limitMillis);
            }
            running.clients.closeAll();
        }
        engine.group().shutdownGracefully(0, DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    private void waitForClients(long limitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops what must not run twice while the next configuration starts: its runtime API sockets. */
    void releaseSockets() {
        if (parts.cli() != null) {
            parts.cli().close();
        }
    }

    /** Binds the runtime API sockets {@link #releaseSockets()} closed again (after a failed reload). */
    void reopenSockets() {
        if (parts.cli() != null) {
            parts.cli().reopen();
        }
    }

    /** Idle pools are per event loop: each loop closes its own share. */
    private void closeIdleServerConnections() {
        for (EventExecutor loop : engine.group()) {
            if (loop.isShuttingDown()) {
                return;
            }
            loop.execute(() -> {
                for (Backend backend : backends.values()) {
                    backend.closeIdleConnections();
                }
            });
        }
    }
}
