package dev.sluice.balancer;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.front.AcceptGate;
import dev.sluice.balancer.front.ConnectionLimit;
import dev.sluice.balancer.front.ProxyHeaderPhase;
import dev.sluice.balancer.http.HttpFrontend;
import dev.sluice.balancer.route.EngineState;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.tcp.TcpFrontend;
import dev.sluice.common.net.Transport;
import dev.sluice.common.proxy.ProxyCounters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts the proxy engine for a {@link RuntimePlan}: {@code nbthread} event loops on the best
 * transport, one listener per {@code bind}, each connection handled on the loop that accepted it
 * together with its server connections.
 */
public final class Balancer {
    /** Pending connections the kernel holds for a listener (HAProxy defaults to maxconn or 1024). */
    static final int ACCEPT_BACKLOG = 1_024;

    private Balancer() {
    }

    /** Binds every listener or none: a failed bind closes what was opened and throws. */
    public static RunningBalancer start(RuntimePlan plan) {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(plan.global().threads(),
                new DefaultThreadFactory("sluice-balancer", false));
        List<Channel> listeners = new ArrayList<>();
        ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
        Map<String, List<SocketAddress>> bound = new LinkedHashMap<>();
        Map<String, HttpFrontend> httpFrontends = new LinkedHashMap<>();
        Map<String, Backend> backends = new HashMap<>();
        try {
            for (BackendPlan backend : plan.backends()) {
                backends.put(backend.name(), new Backend(backend));
            }
            ConnectionLimit global = new ConnectionLimit("global", plan.global().maxconn());
            Map<String, ConnectionLimit> frontLimits = new HashMap<>();
            for (FrontendPlan frontend : plan.frontends()) {
                frontLimits.put(frontend.name(), new ConnectionLimit("frontend " + frontend.name(), frontend.maxconn()));
            }
            for (FrontendPlan frontend : plan.frontends()) {
                // A listen section is a frontend and a backend of one name: its own servers are "the" backend.
                String own = backends.containsKey(frontend.name()) ? frontend.name() : null;
                EngineState state = new EngineState(backends, frontLimits, frontend.name(), own);
                Consumer<Channel> init;
                if (frontend.mode() == Mode.HTTP) {
                    HttpFrontend http = new HttpFrontend(frontend, backends, state, plan.global().bufsize(), transport);
                    httpFrontends.put(frontend.name(), http);
                    init = http::initClient;
                } else {
                    TcpFrontend tcp = new TcpFrontend(frontend, backends, state, transport);
                    init = tcp::initClient;
                }
                ConnectionLimit frontLimit = frontLimits.get(frontend.name());
                List<SocketAddress> addresses = new ArrayList<>();
                for (BindPlan bind : frontend.binds()) {
                    AcceptGate gate = new AcceptGate(List.of(global, frontLimit,
                            new ConnectionLimit("bind " + bind.address(), bind.maxconn())));
                    Channel listener = bind(transport, group, bind, gate, init,
                            frontend.timeouts().effectiveClientHs(), clients);
                    listeners.add(listener);
                    addresses.add(listener.localAddress());
                }
                bound.put(frontend.name(), List.copyOf(addresses));
            }
        } catch (RuntimeException e) {
            for (Channel listener : listeners) {
                listener.close().awaitUninterruptibly();
            }
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            throw e;
        }
        return new RunningBalancer(group, listeners, clients, bound, httpFrontends, backends);
    }

    @SuppressWarnings("deprecation")
    private static Channel bind(Transport transport, EventLoopGroup group, BindPlan bind, AcceptGate gate,
                                Consumer<Channel> init, Duration clientHs, ChannelGroup clients) {
        SocketAddress address = bind.address();
        boolean unix = address instanceof UnixDomainSocketAddress;
        ProxyCounters proxyCounters = new ProxyCounters();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(unix ? transport.serverDomainChannel() : transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .handler(gate)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        clients.add(channel);
                        if (bind.acceptProxy()) {
                            channel.pipeline().addLast(ProxyHeaderPhase.NAME, new ProxyHeaderPhase(clientHs, proxyCounters));
                        }
                        init.accept(channel);
                    }
                });
        if (!unix) {
            bootstrap.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
            if (transport.supportsReusePort()) {
                // As HAProxy: a reload starts the new engine beside the old one, then closes the old
                // one (connections still queued in its backlog are lost: issue 9 hands sockets over).
                bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
            }
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
        return bound.channel();
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
