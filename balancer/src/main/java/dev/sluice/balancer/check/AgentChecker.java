package dev.sluice.balancer.check;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import dev.sluice.balancer.runtime.HealthSources;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code agent-check}: every {@code agent-inter}, connects to the server's agent, sends {@code agent-send} and
 * reads one line, which sets the server's admin state, weight and health as HAProxy 2.6 applies them
 * ({@link AgentReply}). An agent that cannot be reached changes nothing but its own status, as in HAProxy.
 * Runs on one event loop and never blocks it.
 */
final class AgentChecker {
    /** The longest reply line kept (HAProxy reads one check buffer). */
    static final int MAX_LINE_BYTES = 16 * 1024;

    private final Backend backend;
    private final Server server;
    private final HealthSources.Agent agent;
    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    private final InetSocketAddress target;
    private final Tracking tracking;
    private final TransitionLog log;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;

    AgentChecker(Backend backend, Server server, EventLoop loop, Class<? extends Channel> channelClass,
                 TransitionLog log, Tracking tracking) {
        this.backend = backend;
        this.server = server;
        this.agent = server.plan().health().sources().agent();
        this.loop = loop;
        this.channelClass = channelClass;
        this.log = log;
        this.tracking = tracking;
        this.target = new InetSocketAddress(agent.address() != null ? agent.address()
                : server.plan().address().getAddress(), agent.port());
        server.state().enableAgent();
    }

    void start(long delayMillis) {
        loop.execute(() -> schedule(delayMillis));
    }

    void stop() {
        stopped = true;
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
        if (stopped) {
            return;
        }
        Attempt attempt = new Attempt(System.nanoTime());
        ChannelFuture connect = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        server.plan().health().connectTimeout().toMillis()))
                .handler(attempt)
                .connect(target);
        attempt.channel = connect.channel();
        connect.addListener(f -> attempt.connected(f.isSuccess(), f.cause()));
    }

    /** One agent connection: exactly one outcome counts. */
    private final class Attempt extends ChannelInboundHandlerAdapter {
        final long started;
        final StringBuilder line = new StringBuilder();
        Channel channel;
        ScheduledFuture<?> deadline;
        boolean finished;

        Attempt(long started) {
            this.started = started;
        }

        void connected(boolean success, Throwable cause) {
            if (!success) {
                unreachable(cause instanceof ConnectTimeoutException ? CheckStatus.L4TOUT : CheckStatus.L4CON,
                        cause instanceof ConnectTimeoutException ? "" : HealthChecker.describe(cause));
                return;
            }
            if (!agent.send().isEmpty()) {
                channel.writeAndFlush(Unpooled.copiedBuffer(agent.send(), StandardCharsets.ISO_8859_1));
            }
            deadline = loop.schedule(() -> unreachable(CheckStatus.L7TOUT, ""),
                    server.plan().health().readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            try {
                while (data.isReadable() && !finished) {
                    char c = (char) (data.readByte() & 0xff);
                    if (c == '\n' || c == '\r') {
                        reply(line.toString());
                    } else if (line.length() < MAX_LINE_BYTES) {
                        line.append(c);
                    }
                }
            } finally {
                data.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!finished) {
                // As HAProxy: a line without its end changes nothing but says so.
                CheckStatus previous = server.state().lastAgent().status();
                finish(new CheckResult(line.isEmpty() ? CheckStatus.L7RSP : previous, 0,
                        line.isEmpty() ? "" : "Ignoring incomplete line from agent", millis()), null);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void unreachable(CheckStatus status, String info) {
            finish(new CheckResult(status, 0, info, millis()), null);
        }

        private void reply(String text) {
            AgentReply reply = AgentReply.parse(text);
            ServerState state = server.state();
            if (reply.admin() != null) {
                ServerState.Admin admin = switch (reply.admin()) {
                    case "drain" -> ServerState.Admin.DRAIN;
                    case "maint" -> ServerState.Admin.MAINT;
                    default -> ServerState.Admin.READY;
                };
                ServerState.Admin before = state.admin();
                if (state.setAdmin(admin)) {
                    backend.refresh();
                    // HAProxy's words for each admin change an agent makes.
                    switch (admin) {
                        case DRAIN -> TransitionLog.online(backend, server, "enters drain state", true);
                        case MAINT -> TransitionLog.admin(backend, server, "is going DOWN for maintenance");
                        case READY -> TransitionLog.online(backend, server, before == ServerState.Admin.DRAIN
                                ? "is UP (leaving forced drain)" : "is UP (leaving forced maintenance)", false);
                    }
                    if (tracking != null) {
                        tracking.propagate(server);
                    }
                }
            }
            if (reply.maxconn() != null && reply.maxconn().matches("[0-9]{1,9}")) {
                server.setMaxconn(Integer.parseInt(reply.maxconn())); // as "set maxconn server"
            }
            int weight = reply.weightFrom(state.initialWeight());
            if (weight >= 0 && state.setWeight(weight)) {
                backend.refresh();
            }
            finish(reply.result(millis()), reply.up());
        }

        private long millis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }

        private void finish(CheckResult result, Boolean healthUp) {
            if (finished) {
                return;
            }
            finished = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            channel.close();
            ServerState.Transition transition = server.state().agentResult(result, healthUp);
            if (transition != ServerState.Transition.NONE) {
                backend.refresh();
                log.transition(backend, server, transition, result);
            }
            if (tracking != null) {
                tracking.propagate(server); // also picks up admin changes made since the last agent check
            }
            schedule(agent.interval().toMillis());
        }
    }
}
