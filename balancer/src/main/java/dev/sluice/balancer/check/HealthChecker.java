package dev.sluice.balancer.check;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import dev.sluice.balancer.runtime.ServerHealth;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import dev.sluice.balancer.backend.ProxyLines;
import dev.sluice.common.proxy.ProxyHeader;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The health checks of one server, run on one event loop: connect (and for {@code option httpchk} send the
 * request and judge the answer) within the check's timeouts, record the result in the server's
 * {@link ServerState}, rebuild the backend's server set and log once when the server goes UP or DOWN,
 * then schedule the next check at the interval the state asks for. Nothing here blocks the loop.
 */
final class HealthChecker {
    private final Backend backend;
    private final Server server;
    private final ServerHealth config;
    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    /** {@code addr}: checks go there instead of the server's address (null: the server's, as DNS moves it). */
    private final java.net.InetAddress checkAddress;
    private final int checkPort;
    private final TransitionLog log;
    /** The backend's log targets: its servers' transitions, and its checks under log-health-checks. */
    private final CheckLog checkLog;
    /** check-send-proxy, or send-proxy on a server checked at its own address and port. */
    private final boolean sendsProxy;
    private final dev.sluice.balancer.runtime.ProxyLine proxyLine;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;
    private final CheckSpread spread;
    /** track: the servers that follow this one, told after each transition. */
    private Tracking tracking;

    HealthChecker(Backend backend, Server server, EventLoop loop, Class<? extends Channel> channelClass,
                  TransitionLog log) {
        this(backend, server, loop, channelClass, log, CheckSpread.NONE, dev.sluice.balancer.log.BackendLog.OFF);
    }

    HealthChecker(Backend backend, Server server, EventLoop loop, Class<? extends Channel> channelClass,
                  TransitionLog log, CheckSpread spread, dev.sluice.balancer.log.BackendLog backendLog) {
        this.spread = spread;
        this.checkLog = new CheckLog(backendLog);
        this.backend = backend;
        this.server = server;
        this.config = server.plan().health();
        this.loop = loop;
        this.channelClass = channelClass;
        this.log = log;
        this.proxyLine = server.plan().connections().proxyLine();
        TcpCheckRule.Connect connect = config.tcp() != null ? config.tcp().connect() : TcpCheckRule.Connect.IMPLICIT;
        // An explicit tcp-check connect sends a PROXY header when it says so; check-send-proxy needs "default".
        this.sendsProxy = connect.sendProxy() || connect.serverDefaults() && ProxyLines.checksSendProxy(server.plan());
        // tcp-check connect addr/port come first, then the server's check addr/port, then its own
        // (its address as DNS last gave it, read at each check).
        this.checkAddress = connect.address() != null ? connect.address() : config.address();
        this.checkPort = connect.port() != 0 ? connect.port() : config.port();
    }

    /** The probe, after a handler that first sends a LOCAL PROXY header when the checks must send one. */
    private ChannelHandler probePipeline(ChannelHandler probe) {
        if (!sendsProxy) {
            return probe;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new ProxyLines.LocalSender(proxyLine), probe);
            }
        };
    }

    void tracking(Tracking followers) {
        this.tracking = followers;
    }

    /** Starts checking after {@code delayMillis} (a random share of inter, so checks do not all start at once). */
    void start(long delayMillis) {
        server.onObserved(this::observedFailure);
        loop.execute(() -> schedule(delayMillis));
    }

    void stop() {
        stopped = true;
        server.onObserved(null);
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    private void schedule(long delayMillis) {
        if (!stopped) {
            next = loop.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void run() {
        ServerState state = server.state();
        if (stopped) {
            return;
        }
        if (!state.checksEnabled() || state.admin() == ServerState.Admin.MAINT || state.resolutionMaint()) {
            if (tracking != null) {
                tracking.propagate(server); // an admin change (maintenance) reaches the followers within an interval
            }
            // HAProxy pauses checks in maintenance (DNS's too: no address) and when disabled; look again later.
            schedule(spread.next(config.inter().toMillis(), ThreadLocalRandom.current()));
            return;
        }
        long started = System.nanoTime();
        Attempt attempt = new Attempt(started);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.connectTimeout().toMillis()))
                .handler(handler(attempt));
        InetSocketAddress address = server.address();
        InetSocketAddress target = new InetSocketAddress(checkAddress != null ? checkAddress : address.getAddress(),
                checkPort != 0 ? checkPort : address.getPort());
        // A server's 'source' address applies to its checks too; its port does not, so that a check
        // and a connection to the same address and port never need the same four-tuple.
        var source = server.plan().source();
        ChannelFuture connect = source.isSet()
                ? bootstrap.connect(target, new InetSocketAddress(source.local().getAddress(), 0))
                : bootstrap.connect(target);
        attempt.channel = connect.channel();
        io.netty.handler.ssl.SslHandler tls = server.tls() == null ? null
                : server.tls().newCheckHandler(connect.channel().alloc(), target, config.connectTimeout());
        if (tls == null) {
            connect.addListener(f -> attempt.connected(f.isSuccess(), f.cause()));
            return;
        }
        // check-ssl: the check runs once the handshake is done; a failed handshake is a layer 6 failure.
        attempt.tls = true;
        dev.sluice.balancer.tls.TlsConnect.handshake(connect, tls).addListener(f -> {
            if (f.isSuccess() || !connect.isDone() || !connect.isSuccess()) {
                attempt.connected(f.isSuccess(), f.cause());
            } else {
                attempt.finish(f.cause() instanceof io.netty.handler.ssl.SslHandshakeTimeoutException
                        ? CheckStatus.L6TOUT : CheckStatus.L6RSP, 0, "");
            }
        });
    }

    /** What runs on the check's connection: nothing (a connect check), a tcp-check ruleset or an HTTP probe. */
    private ChannelHandler handler(Attempt attempt) {
        if (config.tcp() != null) {
            attempt.tcp = new TcpCheckHandler(config.tcp(), attempt::verdict);
            return probePipeline(attempt.tcp);
        }
        return config.http() == null ? new ChannelInboundHandlerAdapter()
                : probePipeline(new HttpProbeHandler(config.http(), attempt::verdict));
    }

    /**
     * Live traffic triggered {@code on-error} (called on whichever event loop saw it): log and
     * rebuild the server set if the state changed, and bring the next check forward to
     * {@code fastinter}, as HAProxy does for every action.
     */
    private void observedFailure(ServerState.Observed observed) {
        loop.execute(() -> {
            if (stopped) {
                return;
            }
            if (observed.transition() != ServerState.Transition.NONE) {
                backend.refresh();
                log.transition(backend, server, observed.transition(), observed.result());
                checkLog.transition(backend, server, observed.transition(), observed.result()); // backend log: UP/DOWN
                MarkedTransitions.apply(backend, server, observed.transition());
                if (tracking != null) {
                    tracking.propagate(server);
                }
            }
            long fastinter = config.fastinter().toMillis();
            // A check in flight schedules the next one itself when it ends.
            if (next != null && !next.isDone() && next.getDelay(TimeUnit.MILLISECONDS) > fastinter
                    && next.cancel(false)) {
                schedule(fastinter);
            }
        });
    }

    /** One check in flight: exactly one of its outcomes counts. */
    private final class Attempt {
        final long started;
        Channel channel;
        ScheduledFuture<?> deadline;
        /** The tcp-check run on this attempt's connection, null for other checks. */
        TcpCheckHandler tcp;
        /** check-ssl: a connect check passes at layer 6 once the handshake is done. */
        boolean tls;
        boolean finished;

        Attempt(long started) {
            this.started = started;
        }

        void connected(boolean success, Throwable cause) {
            if (!success && config.tcp() != null) {
                boolean timeout = cause instanceof ConnectTimeoutException;
                finish(timeout ? CheckStatus.L4TOUT : CheckStatus.L4CON, 0,
                        TcpCheckRun.connectFailure(config.tcp(), timeout ? "" : describe(cause)));
                return;
            }
            if (!success) {
                finish(cause instanceof ConnectTimeoutException
                        ? CheckStatus.L4TOUT : CheckStatus.L4CON, 0, cause instanceof ConnectTimeoutException
                        ? "" : describe(cause));
                return;
            }
            if (tcp != null) {
                deadline = loop.schedule(() -> verdict(tcp.timedOut()), config.readTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
                return;
            }
            if (config.http() == null) {
                if (sendsProxy) {
                    // check-send-proxy: the header goes out before the close that ends a connect check.
                    channel.writeAndFlush(ProxyLines.encode(channel, ProxyHeader.local(), proxyLine));
                }
                finish(tls ? CheckStatus.L6OK : CheckStatus.L4OK, 0, "");
                return;
            }
            deadline = loop.schedule(() -> finish(CheckStatus.L7TOUT, 0, ""), config.readTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        void verdict(HttpProbeHandler.Verdict verdict) {
            finish(verdict.status(), verdict.code(), verdict.info());
        }

        void finish(CheckStatus status, int code, String info) {
            if (finished) {
                return;
            }
            finished = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            channel.close();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            CheckResult result = new CheckResult(status, code, info, millis);
            int before = server.state().health();
            ServerState.Transition transition = server.state().record(result);
            checkLog.checked(backend, server, before, result); // backend log: option log-health-checks
            if (transition != ServerState.Transition.NONE) {
                backend.refresh();
                log.transition(backend, server, transition, result);
                checkLog.transition(backend, server, transition, result); // backend log: UP/DOWN
                MarkedTransitions.apply(backend, server, transition);
            }
            if (tracking != null) {
                tracking.propagate(server); // also picks up admin changes made since the last check
            }
            // spread-checks: the next interval drifts by a random share (the loop's own generator).
            schedule(spread.next(server.state().nextInterval().toMillis(), ThreadLocalRandom.current()));
        }
    }

    /** HAProxy's info text: the system's words ("Connection refused"), without Netty's decoration. */
    static String describe(Throwable cause) {
        String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        for (String known : new String[] {"Connection refused", "No route to host", "Network is unreachable",
                "Connection reset by peer"}) {
            if (message.contains(known)) {
                return known;
            }
        }
        return message;
    }
}
