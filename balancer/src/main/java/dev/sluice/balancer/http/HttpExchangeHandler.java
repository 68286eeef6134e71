package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.front.ClientAddress;
import dev.sluice.balancer.lb.PickContext;
import dev.sluice.balancer.front.Drain;
import dev.sluice.balancer.io.Deadline;
import dev.sluice.balancer.log.HttpTermination;
import dev.sluice.balancer.log.LogRecord;
import dev.sluice.balancer.log.LogTap;
import dev.sluice.balancer.log.Termination;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.runtime.Timeouts;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One client connection of an HTTP frontend: takes requests one at a time (so pipelined requests
 * are answered in order), sends each to a server over a pooled keep-alive connection on this
 * event loop, and streams bodies both ways without buffering them: the client is read only while
 * the server connection is writable, and the server only while the client is writable.
 *
 * <p>The channel reads on demand (autoRead off): decoded parts wait in {@link #inbound} until the
 * exchange can take them, and a new read is asked for only when that queue is empty and the
 * exchange wants more.
 */
final class HttpExchangeHandler extends ChannelDuplexHandler {
    private static final Logger log = LogManager.getLogger(HttpExchangeHandler.class);

    private final HttpFrontend front;
    private final ProxyResponseEncoder encoder;
    private final ConnectionFacts facts;
    private final ArrayDeque<HttpObject> inbound = new ArrayDeque<>(4);
    private ChannelHandlerContext ctx;
    private Deadline clientDeadline;
    private Deadline serverDeadline;
    private boolean firstRequest = true;
    private boolean started;
    private boolean draining;
    private boolean closeAtNextHead;
    private io.netty.util.AsciiString forwardedValue;
    /** The settings {@link #forwardedValue} was made for: backends may differ in {@code except}. */
    private ForwardedFor forwardedValueFor;
    /** The backend whose queue last held this connection's request, to pass on a wake-up it cannot use. */
    private Backend queuedOn;

    // The exchange in progress (inExchange); reset by finish().
    private boolean inExchange;
    private HttpRequest request;
    private Route route;
    private Backend backend;
    private Server server;
    private ServerConnection conn;
    private boolean connecting;
    private boolean reused;
    private int retriesLeft;
    private boolean requestDone;
    private boolean requestBodyless;
    private boolean clientKeepAlive;
    private boolean http10;
    private boolean head;
    private boolean interim;
    private boolean responseStarted;
    private boolean serverReusable;
    private boolean closeAfter;
    private boolean upgradeRequested;
    private boolean connectRequested;
    private boolean queued;
    /** What the balance algorithm reads about the current request; one per connection, reset per request. */
    private final PickContext pick = new PickContext();
    /** The client's address bytes for {@code balance source}, fixed for the connection (PROXY included). */
    private byte[] sourceBytes;
    private boolean closed;
    /** This connection's access-log facts; null when the frontend does not log. */
    private LogRecord accessLog;
    private final Backend.Waiter waiter = new Backend.Waiter() {
        @Override
        public void wake() {
            onQueueWake();
        }

        @Override
        public io.netty.util.concurrent.EventExecutor executor() {
            return ctx.executor();
        }
    };

    HttpExchangeHandler(HttpFrontend front, ProxyResponseEncoder encoder, ConnectionFacts facts) {
        this.front = front;
        this.encoder = encoder;
        this.facts = facts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        clientDeadline = new Deadline(ctx.executor(), this::clientTimedOut);
        serverDeadline = new Deadline(ctx.executor(), this::serverTimedOut);
        accessLog = LogTap.attach(front.accessLog(), ctx.channel()); // access log: accept time, byte counts
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    /** Runs once: from handlerAdded when the channel is already active, else from channelActive. */
    private void start() {
        if (started) {
            return;
        }
        started = true;
        clientDeadline.arm(front.clientTimeouts().effectiveHttpRequest());
        ctx.read();
    }

    // ---- client side -------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed || !(msg instanceof HttpObject part)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inbound.add(part);
        process();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readClientIfWanted();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        if (writable && conn != null && responsePending()) {
            conn.channel().read();
        }
        if (inExchange && requestDone) {
            // A client that stops reading the response is inactive, as HAProxy's timeout client
            // sees it; while it reads (writable again) only the server side is timed.
            if (writable) {
                clientDeadline.disarm();
            } else {
                clientDeadline.arm(front.clientTimeouts().client());
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (accessLog != null && !closed) {
            logClientGone(Termination.CLIENT); // access log: the client left mid-exchange or before a request
        }
        closed = true;
        abandonServer();
        releaseInbound();
        clientDeadline.cancel();
        serverDeadline.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Drain.RELOAD) {
            // Reload: the next response head says Connection: close (see Drain.RELOAD).
            closeAtNextHead = true;
            return;
        }
        if (evt == Drain.EVENT) {
            draining = true;
            if (!inExchange && !closed) {
                closed = true;
                releaseInbound();
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /** Moves queued request parts forward as far as the exchange allows. */
    private void process() {
        boolean wroteToServer = false;
        while (!closed) {
            if (!inExchange) {
                HttpObject next = inbound.poll();
                if (next == null) {
                    break;
                }
                if (!(next instanceof HttpRequest nextRequest)) {
                    // Parts of a request we refused; nothing to do with them.
                    ReferenceCountUtil.release(next);
                    continue;
                }
                begin(nextRequest);
                continue;
            }
            if (connecting || requestDone || conn == null || !conn.channel().isWritable()) {
                break;
            }
            HttpObject next = inbound.poll();
            if (next == null) {
                break;
            }
            if (next.decoderResult().isFailure()) {
                // A broken body (bad chunk, early close): the server must not see it end cleanly.
                ReferenceCountUtil.release(next);
                clientBodyFailed();
                break;
            }
            forwardRequestPart((HttpContent) next);
            wroteToServer = true;
        }
        if (wroteToServer && conn != null) {
            conn.channel().flush();
        }
    }

    private void readClientIfWanted() {
        if (closed || !inbound.isEmpty()) {
            return;
        }
        boolean wanted = !inExchange
                || (!connecting && !requestDone && conn != null && conn.channel().isWritable());
        if (wanted) {
            ctx.read();
        }
    }

    private void begin(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            ReferenceCountUtil.release(req);
            refuse(HttpRefusal.forDecoderFailure(req.decoderResult().cause()), false);
            return;
        }
        HttpRefusal refusal = MessageRules.check(req);
        if (refusal != null) {
            refuse(refusal, false);
            return;
        }
        clientDeadline.arm(front.clientTimeouts().client());
        if (accessLog != null) {
            accessLog.requestHead(req); // access log: end of TR, request captures
        }
        inExchange = true;
        request = req;
        clientKeepAlive = HttpUtil.isKeepAlive(req);
        http10 = req.protocolVersion().majorVersion() == 1 && req.protocolVersion().minorVersion() == 0;
        head = HttpMethod.HEAD.equals(req.method());
        requestBodyless = MessageRules.bodyless(req);
        upgradeRequested = HopByHop.isUpgrade(req.headers());
        connectRequested = HttpMethod.CONNECT.equals(req.method());
        // use_backend reads the request as the client sent it, before any header is rewritten.
        facts.request(req);
        route = front.route(facts);
        facts.request(null);
        if (route == null) {
            refuse(HttpRefusal.NO_BACKEND, false);
            return;
        }
        if (forwardedValueFor != route.forwardedFor()) {
            // The client address is fixed for the connection (PROXY header included).
            forwardedValue = route.forwardedFor().valueFor(ClientAddress.of(ctx.channel()));
            forwardedValueFor = route.forwardedFor();
        }
        MessageRules.prepareRequest(req, upgradeRequested, route.forwardedFor(), forwardedValue);
        backend = route.backend();
        if (accessLog != null) {
            accessLog.backend(backend); // access log: %b
        }
        retriesLeft = backend.plan().retries();
        BalanceInputs.fill(pick.reset(), backend.plan().balance(), req, sourceBytes());
        takeServer(null);
    }

    private void forwardRequestPart(HttpContent part) {
        clientDeadline.touch();
        // Sending to the server is activity on the server side too (HAProxy's timeout server).
        serverDeadline.touch();
        if (part instanceof LastHttpContent) {
            requestDone = true;
            if (ctx.channel().isWritable()) {
                clientDeadline.disarm();
            } else {
                // Already not reading the response: the deadline keeps running (see below).
                clientDeadline.arm(front.clientTimeouts().client());
            }
        }
        conn.channel().write(part, conn.channel().voidPromise());
    }

    // ---- choosing and reaching a server --------------------------------------------------------

    private byte[] sourceBytes() {
        if (sourceBytes == null) {
            InetSocketAddress client = ClientAddress.of(ctx.channel());
            if (client != null) {
                sourceBytes = client.getAddress().getAddress();
            }
        }
        return sourceBytes;
    }

    private void takeServer(Server avoid) {
        if (avoid != null) {
            pick.avoid(backend.candidate(avoid));
        }
        server = backend.takeFor(pick);
        if (server == null) {
            if (queued) {
                // Woken, but another request took the slot first: back in line.
                backend.enqueue(waiter, pick);
            } else if (backend.queueable()) {
                queued = true;
                queuedOn = backend;
                serverDeadline.arm(serverTimeouts().effectiveQueue());
                backend.enqueue(waiter, pick);
            } else {
                refuse(HttpRefusal.NO_SERVER, true);
            }
            return;
        }
        if (queued) {
            queued = false;
            serverDeadline.disarm();
        }
        if (accessLog != null) {
            accessLog.serverTaken(server); // access log: end of Tw
        }
        // HAProxy's "http-reuse safe": a client's first request takes an idle connection only
        // if we can resend it ourselves should the server have closed that connection meanwhile.
        boolean mayReuse = !firstRequest || (requestBodyless && MessageRules.idempotent(request.method()));
        Channel idle = mayReuse ? server.pollIdle() : null;
        if (idle != null) {
            attach(idle, true);
        } else {
            connect();
        }
    }

    private void connect() {
        connecting = true;
        Server target = server;
        ChannelFuture future = route.connector().connect(ctx.channel().eventLoop(), target.plan().address());
        future.addListener((ChannelFutureListener) f -> connected(f, target));
    }

    private void connected(ChannelFuture f, Server target) {
        if (closed || server != target) {
            f.channel().close();
            return;
        }
        connecting = false;
        if (f.isSuccess()) {
            attach(f.channel(), false);
            return;
        }
        target.connectFailed();
        if (accessLog != null && retriesLeft > 0) {
            accessLog.retried(); // access log: %rc
        }
        log.debug("{}: connect to {} failed: {}", ctx.channel(), target.name(), f.cause().toString());
        if (retriesLeft-- > 0) {
            if (retriesLeft == 0 && backend.plan().redispatch()) {
                // HAProxy redispatches on the last retry: maybe another server can take it.
                target.giveBack();
                server = null;
                takeServer(target);
            } else {
                connect();
            }
            return;
        }
        refuse(HttpRefusal.CONNECT_FAILED, true);
    }

    private void attach(Channel channel, boolean fromPool) {
        conn = (ServerConnection) channel.pipeline().get(ServerConnection.NAME);
        conn.attach(this, server);
        if (accessLog != null) {
            accessLog.connected(); // access log: end of Tc
        }
        reused = fromPool;
        channel.write(request, channel.voidPromise());
        if (requestDone) {
            // A retry after a pooled connection died: the bodyless request is complete already.
            channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
        }
        serverDeadline.arm(serverTimeouts().server());
        process();
        channel.flush();
        channel.read();
        readClientIfWanted();
    }

    void onServerWritable() {
        process();
        readClientIfWanted();
    }

    // ---- the response --------------------------------------------------------------------------

    void onResponsePart(HttpObject part) {
        serverDeadline.touch();
        if (part instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(part);
                serverFailed(HttpRefusal.BAD_RESPONSE);
                return;
            }
            int status = response.status().code();
            if ((status == 101 && upgradeRequested) || (connectRequested && status >= 200 && status < 300)) {
                startTunnel(response);
                return;
            }
            if (status == 101) {
                ReferenceCountUtil.release(part);
                serverFailed(HttpRefusal.BAD_RESPONSE);
                return;
            }
            if (status >= 100 && status < 200) {
                interim = true;
                HopByHop.strip(response.headers(), false);
                ctx.write(response, ctx.voidPromise());
                return;
            }
            responseHead(response);
        }
        if (part instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                // A truncated or malformed body must not reach the client as a complete one.
                ReferenceCountUtil.release(content);
                serverFailed(HttpRefusal.BAD_RESPONSE);
                return;
            }
            boolean last = content instanceof LastHttpContent;
            ctx.write(content, ctx.voidPromise());
            if (last && interim) {
                // The end of a 1xx: the final response is still to come.
                interim = false;
            } else if (last) {
                finish();
            }
        }
    }

    private void responseHead(HttpResponse response) {
        responseStarted = true;
        if (accessLog != null) {
            accessLog.responseHead(response); // access log: end of Tr, %ST, response captures
        }
        int outcome = MessageRules.prepareResponse(response, head, http10, clientKeepAlive && !draining && !closeAtNextHead);
        // A request still sending its body when the response ends is handled in finish().
        closeAfter |= (outcome & MessageRules.CLOSE_CLIENT) != 0;
        serverReusable = (outcome & MessageRules.SERVER_REUSABLE) != 0;
        encoder.answeringHead(head);
        ctx.write(response, ctx.voidPromise());
    }

    /**
     * The server accepted an Upgrade (101) or a CONNECT (2xx): its response goes out, then both
     * connections carry opaque bytes under {@code timeout tunnel} (see {@link TunnelSwitch}).
     */
    private void startTunnel(HttpResponse response) {
        boolean upgrade = response.status().code() == 101;
        HopByHop.strip(response.headers(), upgrade);
        if (upgrade) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        responseStarted = true;
        encoder.answeringHead(false);
        ctx.writeAndFlush(response, ctx.voidPromise());
        if (accessLog != null) {
            accessLog.responseHead(response.status().code()); // access log: a tunnel is logged when it starts
            accessLog.end();
        }
        clientDeadline.cancel();
        serverDeadline.cancel();
        Channel serverChannel = conn.channel();
        Server tunnelled = server;
        conn.detach();
        closed = true;
        releaseInbound();
        server = null;
        conn = null;
        inExchange = false;
        TunnelSwitch.start(ctx.channel(), this, serverChannel, tunnelled, serverTunnelTimeout());
    }

    private Timeouts serverTimeouts() {
        return route == null ? Timeouts.NONE : route.serverTimeouts();
    }

    private java.time.Duration serverTunnelTimeout() {
        return serverTimeouts().effectiveTunnel(front.clientTimeouts().client());
    }

    void onServerReadComplete() {
        ctx.flush();
        if (conn != null && responsePending() && ctx.channel().isWritable()) {
            conn.channel().read();
        }
    }

    private boolean responsePending() {
        return inExchange && !connecting;
    }

    void onServerClosed(ServerConnection closedConn) {
        if (closedConn != conn) {
            return;
        }
        if (!responseStarted && !interim && reused && requestBodyless && requestDone && MessageRules.idempotent(request.method())) {
            // The pooled connection was closed by the server as we sent: resend on a new one.
            conn = null;
            log.debug("{}: pooled connection to {} closed, resending", ctx.channel(), server.name());
            connect();
            return;
        }
        conn = null;
        serverFailed(HttpRefusal.NO_RESPONSE);
    }

    private void onQueueWake() {
        if (!queued || closed) {
            if (queuedOn != null) {
                queuedOn.passOn();
            }
            return;
        }
        takeServer(null);
    }

    private void serverTimedOut() {
        if (queued) {
            leaveQueue();
            refuse(HttpRefusal.QUEUE_TIMEOUT, true);
            return;
        }
        if (inExchange && !connecting) {
            serverFailed(HttpRefusal.SERVER_TIMEOUT);
        }
    }

    private void serverFailed(HttpRefusal refusal) {
        if (responseStarted) {
            // Part of the response is out: the client can only learn by the connection closing.
            front.count(refusal);
            if (accessLog != null) {
                accessLog.terminated(refusal == HttpRefusal.SERVER_TIMEOUT ? Termination.SERVER_TIMEOUT
                        : Termination.SERVER, Termination.AT_DATA); // access log: the server failed mid-response
                accessLog.end();
            }
            abandonServer();
            ctx.flush();
            ctx.close();
            return;
        }
        refuse(refusal, true);
    }

    /** The response is complete: recycle or close the server connection, then the next request. */
    private void finish() {
        serverDeadline.disarm();
        if (conn != null) {
            if (serverReusable && requestDone && conn.channel().isActive()) {
                conn.park();
            } else {
                conn.detach();
                conn.channel().close();
            }
        }
        if (server != null) {
            server.giveBack();
        }
        if (accessLog != null) {
            accessLog.end(); // access log: the line of a completed exchange
        }
        // The server answered before the request body ended: the rest of it cannot be framed
        // away safely, so the client connection ends after this response.
        boolean close = closeAfter || !requestDone || draining;
        reset();
        if (close) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            closed = true;
            releaseInbound();
            return;
        }
        ctx.flush();
        firstRequest = false;
        clientDeadline.arm(front.clientTimeouts().effectiveHttpKeepAlive());
        process();
        readClientIfWanted();
    }

    private void reset() {
        inExchange = false;
        request = null;
        route = null;
        backend = null;
        server = null;
        conn = null;
        connecting = false;
        reused = false;
        requestDone = false;
        requestBodyless = false;
        interim = false;
        responseStarted = false;
        serverReusable = false;
        closeAfter = false;
        upgradeRequested = false;
        connectRequested = false;
        encoder.answeringHead(false);
    }

    // ---- refusals and endings ------------------------------------------------------------------

    private void clientTimedOut() {
        if (closed) {
            return;
        }
        if (!inExchange) {
            if (firstRequest) {
                refuse(HttpRefusal.REQUEST_TIMEOUT, false);
            } else {
                // An idle kept-alive connection simply ends, as with HAProxy.
                ctx.close();
            }
            return;
        }
        log.debug("{}: client timeout during an exchange", ctx.channel());
        if (accessLog != null) {
            logClientGone(Termination.CLIENT_TIMEOUT); // access log: the client stalled mid-exchange
        }
        abandonServer();
        ctx.close();
    }

    private void clientBodyFailed() {
        if (responseStarted) {
            front.count(HttpRefusal.MALFORMED_REQUEST);
            if (accessLog != null) {
                accessLog.terminated(Termination.CLIENT, Termination.AT_DATA); // access log: broken request body
                accessLog.end();
            }
            abandonServer();
            ctx.flush();
            ctx.close();
            closed = true;
            releaseInbound();
            return;
        }
        refuse(HttpRefusal.MALFORMED_REQUEST, true);
    }

    /** Answers with the error page for {@code refusal} and closes; never used once a response started. */
    private void refuse(HttpRefusal refusal, boolean backendChosen) {
        front.count(refusal);
        log.debug("{}: {} ({})", ctx.channel(), refusal.code(), refusal.sentence());
        abandonServer();
        closed = true;
        releaseInbound();
        clientDeadline.cancel();
        serverDeadline.cancel();
        // The page is a complete raw response: it goes out below the HTTP encoder.
        ErrorPages pages = backendChosen && route != null ? route.pages() : front.frontPages();
        if (accessLog != null) {
            HttpTermination.refused(accessLog, refusal); // access log: our own answer (status, state, counts)
        }
        ctx.pipeline().context(HttpFrontend.ENCODER).writeAndFlush(pages.page(refusal.status()))
                .addListener(ChannelFutureListener.CLOSE);
        if (accessLog != null) {
            accessLog.end(); // access log: its line, the page counted in %B
        }
    }

    private void leaveQueue() {
        if (queued) {
            queued = false;
            backend.dequeue(waiter);
        }
    }

    /** Drops the server side of an unfinished exchange: the connection cannot be reused. */
    private void abandonServer() {
        leaveQueue();
        serverDeadline.disarm();
        if (conn != null) {
            conn.detach();
            conn.channel().close();
            conn = null;
        }
        if (server != null) {
            server.giveBack();
            server = null;
        }
        inExchange = false;
        connecting = false;
    }

    /**
     * Writes the line of an exchange the client ended ({@code who}: C or c) in the phase it was
     * in; an idle kept-alive connection that closes leaves no line, as with HAProxy.
     */
    private void logClientGone(char who) {
        if (!inExchange && !accessLog.requestStarted() && (!firstRequest || accessLog.wroteAny())) {
            accessLog.discard();
            return;
        }
        char phase = !inExchange ? Termination.AT_REQUEST : queued ? Termination.AT_QUEUE
                : connecting ? Termination.AT_CONNECT : !responseStarted ? Termination.AT_HEADERS : Termination.AT_DATA;
        if (phase == Termination.AT_REQUEST) {
            accessLog.answered(HttpRefusal.MALFORMED_REQUEST.status()); // HAProxy logs 400 for a request never completed
        }
        accessLog.terminated(who, phase);
        accessLog.end();
    }

    private void releaseInbound() {
        HttpObject part;
        while ((part = inbound.poll()) != null) {
            ReferenceCountUtil.release(part);
        }
    }
}
