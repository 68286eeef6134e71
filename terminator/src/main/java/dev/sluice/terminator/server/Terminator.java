package dev.sluice.terminator.server;

import dev.sluice.common.net.Endpoint;
import dev.sluice.common.net.Transport;
import dev.sluice.terminator.config.FrontendConfig;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.tls.TlsContexts;
import dev.sluice.terminator.tls.TlsException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One terminator process: one event loop (a worker of the process-per-core model), a listener per
 * frontend with SO_REUSEPORT (so several processes can share a port), and the metrics listener.
 */
public final class Terminator implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(Terminator.class);
    /** How often a drain looks whether the last connection has finished. */
    private static final Duration DRAIN_POLL = Duration.ofMillis(50);
    /** Beyond the handshake timeout, before a replaced TLS generation is closed (timer slack). */
    private static final Duration RETIRE_MARGIN = Duration.ofSeconds(1);

    private final TerminatorConfig config;
    private final Transport transport = Transport.best();
    private final EventLoopGroup loop;
    private final Counters counters = new Counters();
    /** One per frontend; SIGHUP swaps in a new generation while connections keep their old one. */
    private final List<AtomicReference<TlsContexts>> contexts = new ArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    /** Replaced generations waiting for their last selector; closed by {@link #retire} or at close. */
    private final java.util.Set<TlsContexts> retired = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Channel metricsListener;

    private Terminator(TerminatorConfig config) {
        this.config = config;
        this.loop = transport.newGroup(1, Thread.ofPlatform().name("terminator-loop").factory());
    }

    /** Loads the certificates, resolves the backend and binds every listener; fails without leftovers. */
    public static Terminator start(TerminatorConfig config) throws StartException {
        Terminator terminator = new Terminator(config);
        try {
            terminator.bind();
            return terminator;
        } catch (StartException | RuntimeException e) {
            terminator.close();
            throw e;
        }
    }

    private void bind() throws StartException {
        SocketAddress backendAddress = resolve(config.backend(), "backend");
        Backend backend = new Backend(transport, backendAddress, config.backendConnectTimeout());
        ConnectionSettings settings = new ConnectionSettings(backend,
                new ProxyHeaderWriter(config.proxyMode(), config.proxyTlv(), config.proxyAuthority()),
                config.handshakeTimeout(), config.idleTimeout(), counters);
        for (FrontendConfig frontend : config.frontends()) {
            TlsContexts tls;
            try {
                tls = TlsContexts.load(frontend.tls());
            } catch (TlsException e) {
                throw new StartException(e.getMessage(), e);
            }
            AtomicReference<TlsContexts> current = new AtomicReference<>(tls);
            contexts.add(current);
            ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, config.backlog())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    // A client may send its request and FIN before the backend is connected.
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ClientInitializer(current::get, settings, config.proxyMode()));
            if (transport.supportsReusePort()) {
                bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
                bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, (int) config.keepalive().toSeconds());
            }
            if (config.receiveBufferSize() > 0) {
                bootstrap.childOption(ChannelOption.SO_RCVBUF, config.receiveBufferSize());
            }
            if (config.sendBufferSize() > 0) {
                bootstrap.childOption(ChannelOption.SO_SNDBUF, config.sendBufferSize());
            }
            listeners.add(bindOrFail(bootstrap, frontend.address(), "frontend"));
        }
        if (config.metrics() != null) {
            metricsListener = bindOrFail(new ServerBootstrap().group(loop).channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new MetricsResponder(counters)), config.metrics(), "metrics");
        }
        log.info("listening on {} ({}), backend {}, {}", config.frontends().stream().map(FrontendConfig::address).toList(),
                 transport, config.backend(), config.proxyMode());
    }

    private SocketAddress resolve(Endpoint endpoint, String what) throws StartException {
        try {
            return endpoint.socketAddress(transport);
        } catch (UnknownHostException e) {
            throw new StartException(what + " " + endpoint + ": cannot resolve the host name", e);
        }
    }

    private Channel bindOrFail(ServerBootstrap bootstrap, Endpoint endpoint, String what) throws StartException {
        var bound = bootstrap.bind(resolve(endpoint, what)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new StartException(what + " " + endpoint + ": cannot listen: " + bound.cause().getMessage(), bound.cause());
        }
        return bound.channel();
    }

    /**
     * Loads the certificates and TLS settings of {@code fresh} and swaps them in for new
     * connections; open connections finish on the old ones. Call it off the event loop (it reads
     * files). Listeners, backend and PROXY settings are not rebound: if they differ, nothing is
     * swapped and the reason is returned. Returns the problems; empty means reloaded.
     */
    public synchronized List<String> reload(TerminatorConfig fresh) {
        List<String> differences = new ArrayList<>();
        if (!fresh.frontends().stream().map(FrontendConfig::address).toList()
                .equals(config.frontends().stream().map(FrontendConfig::address).toList())) {
            differences.add("the frontends changed");
        }
        if (!fresh.backend().equals(config.backend()) || fresh.proxyMode() != config.proxyMode()) {
            differences.add("the backend or the PROXY mode changed");
        }
        if (!differences.isEmpty()) {
            return List.of(String.join(" and ", differences) + ": restart to apply; still serving the old configuration");
        }
        List<TlsContexts> loaded = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++) {
            try {
                loaded.add(contexts.get(i).get().reload(fresh.frontends().get(i).tls()));
            } catch (TlsException e) {
                loaded.forEach(TlsContexts::close);
                return List.of(e.getMessage() + "; still serving the old certificates");
            }
        }
        for (int i = 0; i < contexts.size(); i++) {
            retire(contexts.get(i).getAndSet(loaded.get(i)));
        }
        return List.of();
    }

    /**
     * Closes a replaced generation once no connection can still pick a certificate from it. A
     * connection accepted just before the swap holds the old generation's selector until its
     * ClientHello arrives; closing at once would free the contexts under it and fail that
     * handshake. Every such selector has picked or timed out within the handshake timeout.
     */
    private void retire(TlsContexts old) {
        retired.add(old);
        Duration delay = config.handshakeTimeout().plus(RETIRE_MARGIN);
        loop.schedule(() -> {
            old.close();
            retired.remove(old);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Counters counters() {
        return counters;
    }

    /** Whether the event loop runs a task within {@code budget}: the systemd watchdog's liveness probe. */
    public boolean responsive(Duration budget) {
        try {
            loop.submit(() -> { }).get(budget.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The addresses really bound (port 0 becomes the kernel's choice), frontends first. */
    public List<SocketAddress> boundAddresses() {
        List<SocketAddress> addresses = new ArrayList<>();
        listeners.forEach(listener -> addresses.add(listener.localAddress()));
        if (metricsListener != null) {
            addresses.add(metricsListener.localAddress());
        }
        return addresses;
    }

    /**
     * Stops accepting, lets open connections finish for up to {@code grace}, then closes the rest.
     * Returns how many connections were still open when the grace period ended.
     */
    public long drain(Duration grace) {
        listeners.forEach(listener -> listener.close().awaitUninterruptibly());
        long deadline = System.nanoTime() + grace.toNanos();
        while (counters.active() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return counters.active();
    }

    @Override
    public void close() {
        listeners.forEach(Channel::close);
        if (metricsListener != null) {
            metricsListener.close();
        }
        // Shutting the loop down closes every channel still registered with it.
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        contexts.forEach(current -> current.get().close());
        retired.forEach(TlsContexts::close);
    }

    /** A listener could not be bound or a certificate not loaded; the message says which. */
    public static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
