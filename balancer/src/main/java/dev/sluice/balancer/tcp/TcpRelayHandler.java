package dev.sluice.balancer.tcp;

import dev.sluice.balancer.log.LogRecord;
import dev.sluice.balancer.log.LogTap;
import dev.sluice.balancer.log.Termination;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.stats.TcpSessionStats;
import dev.sluice.balancer.front.ClientAddress;
import dev.sluice.balancer.front.ProxyHeaderPhase;
import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.lb.PickContext;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.common.proxy.ProxyHeader;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code mode tcp}, the connecting phase: picks a server, connects (with {@code retries}), then
 * hands both channels to a {@link Relay} and leaves the pipeline. Bytes that arrive before the
 * server connection exists (those following a PROXY header) are held and sent first.
 */
final class TcpRelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(TcpRelayHandler.class);

    private final TcpFrontend front;
    private final ConnectionFacts facts;
    private TcpFrontend.Target target;
    private final ArrayDeque<Object> early = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private Server server;
    private int retriesLeft;
    private boolean closed;
    private boolean started;
    /** This connection's access-log facts; null when the frontend does not log. */
    private LogRecord accessLog;

    TcpRelayHandler(TcpFrontend front, ConnectionFacts facts) {
        this.front = front;
        this.facts = facts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // access log: accept time, byte counts (content inspection may have attached it already)
        LogRecord inspected = LogTap.recordOf(ctx.channel());
        accessLog = inspected != null ? inspected : LogTap.attach(front.accessLog(), ctx.channel());
        if (accessLog != null && inspected == null) {
            LogRecord record = accessLog;
            // access log: one line per session, after the close released its server slot; none when the
            // PROXY header never came (its error line is the connection's, see ConnectionErrorLog)
            ctx.channel().closeFuture().addListener(f -> ctx.executor().execute(() -> {
                if (started) {
                    record.endAfterClose();
                } else {
                    record.discard();
                }
            }));
        }
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    /**
     * Runs once: from handlerAdded when the channel is already active, else from channelActive; with
     * {@code accept-proxy}, when the PROXY header arrived, since the rules may read its addresses.
     */
    private void start() {
        if (started || ctx.pipeline().get(ProxyHeaderPhase.NAME) != null) {
            return;
        }
        started = true;
        target = front.choose(facts);
        if (accessLog != null && target != null) {
            accessLog.backend(target.backend()); // access log: %b
        }
        if (target == null || (server = takeServer(target.backend())) == null) {
            if (accessLog != null) {
                accessLog.terminated(Termination.SERVER, Termination.AT_CONNECT); // access log: no server
            }
            log.debug("{}: no server available", ctx.channel());
            ctx.close();
            return;
        }
        if (accessLog != null) {
            accessLog.serverTaken(server); // access log: end of Tw
        }
        ctx.channel().closeFuture().addListener(f -> server.giveBack());
        TcpSessionStats.opened(target.backend().counters(), server.counters(), ctx.channel());
        retriesLeft = target.backend().plan().retries();
        connect();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ProxyHeader) {
            start();
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * In tcp mode an algorithm can hash the client's address ({@code source}) or a layer-4 sample expression
     * ({@code balance hash src}, {@code hash fc_pp_authority}…; an HTTP fetch finds nothing, so round robin).
     */
    private Server takeServer(Backend backend) {
        Balance.Algorithm algorithm = backend.plan().balance().algorithm();
        if (algorithm instanceof Balance.Hash) {
            PickContext context = new PickContext();
            dev.sluice.balancer.backend.HashKeySink.fill(context, backend.plan().load().hashKey(), facts);
            return backend.takeFor(context);
        }
        if (!(algorithm instanceof Balance.Source)) {
            return backend.take(null);
        }
        InetSocketAddress client = ClientAddress.of(ctx.channel());
        PickContext context = new PickContext().sourceAddress(client == null ? null : client.getAddress().getAddress());
        return backend.takeFor(context);
    }

    private void connect() {
        ChannelFuture future = target.connector().connect(ctx.channel().eventLoop(), server);
        future.addListener((ChannelFutureListener) this::connected);
    }

    private void connected(ChannelFuture f) {
        if (closed) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            server.connectFailed();
            TcpSessionStats.connectFailed(target.backend().counters(), server.counters(), retriesLeft > 0);
            if (retriesLeft-- > 0) {
                if (accessLog != null) {
                    accessLog.retried(); // access log: %rc
                }
                connect();
            } else {
                if (accessLog != null) {
                    accessLog.terminated(Termination.SERVER, Termination.AT_CONNECT); // access log: connect failed
                }
                ctx.close();
            }
            return;
        }
        Channel serverChannel = f.channel();
        server.connected(serverChannel); // passive health (observe layer4), on-marked-down/up
        if (accessLog != null) {
            accessLog.connected(serverChannel); // access log: end of Tc, %bi/%bp
        }
        // send-proxy / send-proxy-v2: the client's PROXY header goes before its first byte.
        dev.sluice.balancer.backend.ProxyLines.send(serverChannel, ctx.channel(), server.plan().connections().proxyLine());
        Object msg;
        while ((msg = early.poll()) != null) {
            serverChannel.write(msg, serverChannel.voidPromise());
        }
        serverChannel.flush();
        Channel client = ctx.channel();
        client.closeFuture().addListener(done -> serverChannel.close());
        ctx.pipeline().remove(this);
        Relay.join(client, serverChannel, front.idleTimeout(target.backend()), front.clientFin(),
                target.backend().plan().timeouts().serverFin());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        Object msg;
        while ((msg = early.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
