package dev.sluice.balancer;

import dev.sluice.balancer.admin.CliServer;
import dev.sluice.balancer.admin.RuntimeApi;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.check.HealthChecks;
import dev.sluice.balancer.stats.Counters;
import dev.sluice.balancer.stats.SessionCounter;
import dev.sluice.balancer.stats.StatsRegistry;
import dev.sluice.balancer.stats.Visibility;
import dev.sluice.balancer.front.AcceptGate;
import dev.sluice.balancer.front.ConnectionLimit;
import dev.sluice.balancer.http.HttpFrontend;
import dev.sluice.balancer.log.AccessLog;
import dev.sluice.balancer.route.EngineState;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.BindSocket;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.tcp.TcpFrontend;
import dev.sluice.common.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Starts the proxy engine for a {@link RuntimePlan}: {@code nbthread} event loops on the best
 * transport, one listener per {@code bind}, each connection handled on the loop that accepted it
 * together with its server connections.
 */
public final class Balancer {
    private static final Logger log = LogManager.getLogger(Balancer.class);
    /** Pending connections the kernel holds for a listener (HAProxy defaults to maxconn or 1024). */
    static final int ACCEPT_BACKLOG = 1_024;
    /** How long {@code defer-accept} lets a silent connection wait in the kernel: the shortest it takes. */
    private static final int DEFER_ACCEPT_SECONDS = 1;

    private Balancer() {
    }

    /** Binds every listener or none: a failed bind closes what was opened and throws. */
    public static RunningBalancer start(RuntimePlan plan) {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(plan.global().threads(),
                new DefaultThreadFactory("sluice-balancer", false));
        EventLoopPinning.apply(group, plan.global().process().cpuMap());
        Engine engine = new Engine(transport, group, plan.global().process().cpuMap());
        try {
            return assemble(engine, plan, null);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            throw e;
        }
    }

    /**
     * Applies {@code plan} to the engine {@code current} runs, without closing a listener whose
     * address stays: new connections go to the new configuration from the swap on, connections
     * open now finish on {@code current}, which drains in the background (see
     * {@link RunningBalancer#retire()}). Removed listeners close, new ones open; server state
     * carries over by backend and server name ({@link Backend#carryOver}). If a new listener
     * cannot bind, nothing changes and this throws: {@code current} keeps serving.
     * The event loops stay those of the first start ({@code nbthread} and {@code cpu-map} changes need a
     * restart).
     */
    public static RunningBalancer reload(RunningBalancer current, RuntimePlan plan) {
        Engine engine = current.engine();
        if (plan.global().threads() != engine.threads()) {
            log.warn("reload: nbthread {} ignored; keeping {} event loops until a restart",
                    plan.global().threads(), engine.threads());
        }
        if (!plan.global().process().cpuMap().equals(engine.cpuMap())) {
            log.warn("reload: cpu-map changes ignored; the event loops keep their CPUs until a restart");
        }
        RunningBalancer next = assemble(engine, plan, current);
        current.retire();
        return next;
    }

    private static RunningBalancer assemble(Engine engine, RuntimePlan plan, RunningBalancer previous) {
        Transport transport = engine.transport();
        Clients clients = new Clients();
        Map<String, List<SocketAddress>> bound = new LinkedHashMap<>();
        Map<String, HttpFrontend> httpFrontends = new LinkedHashMap<>();
        Map<String, Counters> frontCounters = new HashMap<>();
        Map<String, Backend> backends = new LinkedHashMap<>();
        for (BackendPlan backend : plan.backends()) {
            Backend fresh = new Backend(backend);
            Backend old = previous == null ? null : previous.backend(backend.name());
            if (old != null) {
                fresh.carryOver(old);
            }
            backends.put(backend.name(), fresh);
        }
        List<Listener> unclaimed = new ArrayList<>(engine.listeners());
        List<Listener> mine = new ArrayList<>();
        List<Listener> opened = new ArrayList<>();
        Map<Listener, Listener.Route> swaps = new LinkedHashMap<>();
        HealthChecks checks = null;
        java.util.concurrent.Future<?> sweep = null;
        CliServer cli = null;
        dev.sluice.balancer.peers.Peers peers = null;
        boolean released = false;
        StatsRegistry registry;
        RuntimeApi api;
        try {
            checks = HealthChecks.start(backends.values(), engine.group(), transport.socketChannel(),
                    new dev.sluice.balancer.check.CheckSpread(plan.global().process().spreadChecks()));
            dev.sluice.balancer.stick.StickTables stickTables = new dev.sluice.balancer.stick.StickTables(
                    plan.stickTables());
            if (previous != null) {
                // Shared tables keep their entries through a reload; the old peers free the local address.
                previous.peers().handOver(stickTables);
            }
            peers = dev.sluice.balancer.peers.Peers.start(plan.peers(), stickTables, engine.group(), transport);
            if (!stickTables.isEmpty()) {
                // Expired entries are also dropped when met; this bounds what idle keys hold.
                sweep = engine.group().scheduleAtFixedRate(stickTables::sweep, 1, 1,
                        java.util.concurrent.TimeUnit.SECONDS);
            }
            ConnectionLimit global = new ConnectionLimit("global", plan.global().maxconn());
            dev.sluice.balancer.front.AcceptRate connRate = new dev.sluice.balancer.front.AcceptRate("maxconnrate",
                    plan.global().tuning().maxConnRate());
            dev.sluice.balancer.front.AcceptRate sessRate = new dev.sluice.balancer.front.AcceptRate("maxsessrate",
                    plan.global().tuning().maxSessRate());
            Map<String, ConnectionLimit> frontLimits = new HashMap<>();
            for (FrontendPlan frontend : plan.frontends()) {
                frontLimits.put(frontend.name(), new ConnectionLimit("frontend " + frontend.name(), frontend.maxconn()));
            }
            for (FrontendPlan frontend : plan.frontends()) {
                // A listen section is a frontend and a backend of one name: its own servers are "the" backend.
                String own = backends.containsKey(frontend.name()) ? frontend.name() : null;
                EngineState state = new EngineState(backends, frontLimits, frontend.name(), own, stickTables);
                // The state is what a log-format's %[sample] fetches read (nbsrv, be_conn…).
                AccessLog accessLog = new AccessLog(frontend.accessLog(), frontend.name(), global,
                        frontLimits.get(frontend.name()), state);
                dev.sluice.balancer.front.TcpRequestGate tcpRequest = frontend.tcpRules().isEmpty() ? null
                        : new dev.sluice.balancer.front.TcpRequestGate(frontend.tcpRules(), state);
                Consumer<Channel> init;
                if (frontend.mode() == Mode.HTTP) {
                    HttpFrontend http = new HttpFrontend(frontend, backends, state, plan.global().bufsize(), transport,
                            plan.global().h2(), accessLog, plan.global().tuning()); // tune.http.maxhdr, tune.*buf.server
                    httpFrontends.put(frontend.name(), http);
                    init = http::initClient;
                    frontCounters.put(frontend.name(), http.counters());
                } else {
                    TcpFrontend tcp = new TcpFrontend(frontend, backends, state, transport, accessLog,
                            plan.global().bufsize(), plan.global().tuning()); // tune.*buf.server
                    init = tcp::initClient;
                    frontCounters.put(frontend.name(), tcp.counters());
                }
                init = dev.sluice.balancer.io.SocketOptions.client(frontend.tuning(), init); // clitcpka
                init = dev.sluice.balancer.io.NoLinger.client(frontend.extras().noLinger(), init); // option nolinger
                init = dev.sluice.balancer.io.SocketBuffers.client(plan.global().tuning(), init); // tune.*buf.client
                SessionCounter sessions = new SessionCounter(frontCounters.get(frontend.name()));
                ConnectionLimit frontLimit = frontLimits.get(frontend.name());
                dev.sluice.balancer.front.AcceptRate frontRate = new dev.sluice.balancer.front.AcceptRate(
                        "frontend " + frontend.name() + " rate-limit sessions", frontend.extras().sessionRate());
                List<SocketAddress> addresses = new ArrayList<>();
                int bindNumber = 0;
                for (BindPlan bind : frontend.binds()) {
                    AcceptGate gate = new AcceptGate(List.of(global, frontLimit,
                            new ConnectionLimit("bind " + bind.address(), bind.maxconn())),
                            List.of(connRate, sessRate, frontRate)); // maxconnrate, maxsessrate, rate-limit sessions
                    bindNumber++;
                    // Access log: PROXY header errors, the bind named or numbered as HAProxy does.
                    dev.sluice.balancer.log.ConnectionErrorLog errorLog = !accessLog.enabled() ? null
                            : new dev.sluice.balancer.log.ConnectionErrorLog(accessLog, frontend.name(),
                                    bind.name() != null ? bind.name() : Integer.toString(bindNumber));
                    Listener.Route route = new Listener.Route(bind, gate, init, clients,
                            frontend.timeouts().effectiveClientHs(), sessions, tcpRequest, errorLog);
                    Listener listener = claim(unclaimed, bind);
                    if (listener != null) {
                        swaps.put(listener, route);
                    } else {
                        listener = new Listener(route);
                        listener.bound(bind(transport, engine.group(), bind, gate, listener));
                        opened.add(listener);
                    }
                    mine.add(listener);
                    addresses.add(listener.channel().localAddress());
                }
                bound.put(frontend.name(), List.copyOf(addresses));
            }
            registry = Visibility.registry(plan, frontCounters, backends, clients::size);
            api = new RuntimeApi(registry);
            dev.sluice.balancer.admin.TableCommands.register(api.commands(), stickTables);
            dev.sluice.balancer.admin.PatternCommands.register(api.commands(), plan.patterns());
            dev.sluice.balancer.admin.CacheCommands.register(api.commands(), plan.caches()); // show cache
            Visibility.installServices(plan, httpFrontends, registry, api.formActions());
            if (previous != null) {
                // The runtime API sockets move to the new configuration (same paths and ports).
                previous.releaseSockets();
                released = true;
            }
            cli = CliServer.start(plan.stats(), api, engine.group(), transport);
        } catch (RuntimeException e) {
            if (released) {
                // The reload fails: the running configuration gets its runtime API sockets back.
                reopenSockets(previous);
            }
            if (cli != null) {
                cli.close();
            }
            if (checks != null) {
                checks.close();
            }
            if (sweep != null) {
                sweep.cancel(false);
            }
            if (peers != null) {
                peers.close();
            }
            if (previous != null) {
                previous.peers().resume(); // handed over above: the running configuration shares its tables again
            }
            for (Listener listener : opened) {
                listener.channel().close().awaitUninterruptibly();
            }
            throw e;
        }
        swaps.forEach(Listener::swap);
        for (Listener removed : unclaimed) {
            log.info("reload: closing listener {} (no longer in the configuration)", removed.channel().localAddress());
            removed.channel().close().awaitUninterruptibly();
        }
        for (Listener added : opened) {
            if (previous != null) {
                log.info("reload: new listener {}", added.channel().localAddress());
            }
        }
        RunningBalancer running = new RunningBalancer(engine, mine, clients, bound, httpFrontends, backends,
                new RunningBalancer.Parts(registry, api, cli, checks, sweep,
                        // Servers found by DNS ('resolvers'): resolved on the balancer's own event loops.
                        dev.sluice.balancer.dns.DnsResolvers.start(backends.values(), engine.group(),
                                transport.datagramChannel()), peers), plan.global().process());
        engine.current(running, mine);
        return running;
    }

    private static void reopenSockets(RunningBalancer previous) {
        try {
            previous.reopenSockets();
        } catch (RuntimeException again) {
            log.error("reload: the running configuration's stats sockets cannot be bound again: {}",
                    again.getMessage());
        }
    }

    /** The first listener in {@code unclaimed} that can serve {@code bind} as it is, taken off the list. */
    private static Listener claim(List<Listener> unclaimed, BindPlan bind) {
        for (int i = 0; i < unclaimed.size(); i++) {
            if (Listener.reusableFor(unclaimed.get(i).bind(), bind)) {
                return unclaimed.remove(i);
            }
        }
        return null;
    }

    @SuppressWarnings("deprecation")
    private static Channel bind(Transport transport, EventLoopGroup group, BindPlan bind, AcceptGate gate,
                                Listener listener) {
        SocketAddress address = bind.address();
        boolean unix = address instanceof UnixDomainSocketAddress;
        BindSocket socket = bind.socket();
        int backlog = socket.backlog() > 0 ? socket.backlog() : ACCEPT_BACKLOG;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(unix ? transport.serverDomainChannel() : transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, backlog)
                .handler(gate)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(listener.childInitializer());
        if (!unix) {
            bootstrap.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
            if (transport.supportsReusePort()) {
                // A reload keeps listeners whose address stays (see reload); reuseport still lets a
                // second process or engine bind beside this one, as HAProxy's does.
                bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
            }
        }
        if (!unix) {
            linuxSocketOptions(transport, bootstrap, bind, backlog);
        }
        if (gate.limited()) {
            // One accept per read, so a filled limit pauses the listener before the next accept.
            bootstrap.option(ChannelOption.MAX_MESSAGES_PER_READ, 1);
        }
        if (unix) {
            Path path = ((UnixDomainSocketAddress) address).getPath();
            removeStaleSocket(path);
            if (transport == Transport.EPOLL) {
                address = new DomainSocketAddress(path.toString());
            }
        }
        io.netty.channel.ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot bind " + bind.address() + ": " + bound.cause().getMessage(), bound.cause());
        }
        if (unix && socket.setsUnixFile()) {
            UnixSocketFile.apply(((UnixDomainSocketAddress) bind.address()).getPath(), socket);
        }
        return bound.channel();
    }

    /** {@code defer-accept}, {@code tfo}, {@code transparent}, {@code tcp-ut}: Linux options that need epoll. */
    private static void linuxSocketOptions(Transport transport, ServerBootstrap bootstrap, BindPlan bind, int backlog) {
        BindSocket socket = bind.socket();
        boolean wanted = socket.deferAccept() || socket.fastOpen() || socket.transparent()
                || socket.userTimeoutMillis() > 0;
        if (!wanted) {
            return;
        }
        if (transport != Transport.EPOLL) {
            throw new IllegalStateException("cannot bind " + bind.address() + ": 'defer-accept', 'tfo', 'transparent' "
                    + "and 'tcp-ut' need Linux's native epoll transport, which is not available here");
        }
        if (socket.deferAccept()) {
            // Seconds the kernel holds a connection without data before handing it over anyway.
            bootstrap.option(EpollChannelOption.TCP_DEFER_ACCEPT, DEFER_ACCEPT_SECONDS);
        }
        if (socket.fastOpen()) {
            bootstrap.option(EpollChannelOption.TCP_FASTOPEN, backlog);
        }
        if (socket.transparent()) {
            bootstrap.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        if (socket.userTimeoutMillis() > 0) {
            bootstrap.childOption(EpollChannelOption.TCP_USER_TIMEOUT, socket.userTimeoutMillis());
        }
    }

    private static void removeStaleSocket(Path path) {
        try {
            if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace unix socket " + path, e);
        }
    }
}
