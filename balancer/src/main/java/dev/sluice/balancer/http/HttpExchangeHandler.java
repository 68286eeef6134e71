package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.front.ClientAddress;
import dev.sluice.balancer.lb.PickContext;
import dev.sluice.balancer.persist.StickyState;
import dev.sluice.balancer.front.Drain;
import dev.sluice.balancer.io.Deadline;
import dev.sluice.balancer.log.HttpTermination;
import dev.sluice.balancer.log.LogRecord;
import dev.sluice.balancer.log.LogTap;
import dev.sluice.balancer.log.Termination;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.rules.Verdict;
import dev.sluice.balancer.runtime.HttpConnectionMode;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.stats.ExchangeStats;
import dev.sluice.balancer.stats.ServerBytes;
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
    private final ClientSide encoder;
    private final ConnectionFacts facts;
    /** http-request / http-response rules of this connection (see RequestRules). */
    private final RequestRules rules;
    /** http-after-response rules, run on every response written below (see AfterResponse). */
    private final AfterResponse afterResponse;
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
    /** A request is held by BodyWait (option http-buffer-request) until its body is here. */
    private boolean awaitingBody;
    /** option originalto's header value for this connection. */
    private final OriginalTo originalTo = new OriginalTo();
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
    /** retries, retry-on, use-server, force-/ignore-persist and the parts kept for a replay (see Attempts). */
    private final Attempts attempts = new Attempts();
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
    /** The request went again on another connection (see ServerConnection.resendable): an h2 stream, once only. */
    private boolean resent;
    /** What the balance algorithm reads about the current request; one per connection, reset per request. */
    private final PickContext pick = new PickContext();
    /** The client's address bytes for {@code balance source}, fixed for the connection (PROXY included). */
    private byte[] sourceBytes;
    private boolean closed;
    /** Counters of this connection's requests (issue 9: stats page, CSV, exporter). */
    private final ExchangeStats stats;
    /** A request answered inside the balancer (stats page, exporter), while its body arrives. */
    private LocalExchange local;
    /** http-request cache-use / http-response cache-store of the current exchange (dev.sluice.balancer.cache). */
    private final dev.sluice.balancer.cache.CacheExchange cache = new dev.sluice.balancer.cache.CacheExchange();
    /** Cookie persistence (persist/): made for the first backend with a {@code cookie}; the server it named. */
    private StickyState sticky;
    private Server persisted;
    /** This connection's access-log facts; null when the frontend does not log. */
    private LogRecord accessLog;
    /** The client half-closed (FIN): read no more; the exchange in progress may still finish. */
    private boolean clientInputShut;
    /** http-reuse and PROXY-private server connections of this client connection (see ServerReuse). */
    private ServerReuse reuse;
    /** Response compression (see ResponseCompressor); null while no proxy of this connection compresses. */
    private ResponseCompressor compressor;
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

    HttpExchangeHandler(HttpFrontend front, ClientSide encoder, ConnectionFacts facts) {
        this.front = front;
        this.encoder = encoder;
        this.facts = facts;
        this.stats = new ExchangeStats(front.counters());
        this.rules = new RequestRules(front, facts);
        this.afterResponse = new AfterResponse(front, facts, rules);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        clientDeadline = new Deadline(ctx.executor(), this::clientTimedOut);
        serverDeadline = new Deadline(ctx.executor(), this::serverTimedOut);
        accessLog = LogTap.attach(front.accessLog(), ctx.channel()); // access log: accept time, byte counts
        if (accessLog != null) {
            accessLog.readsVariablesOf(facts); // access log: %[var(txn.x)] reads this exchange's variables
        }
        reuse = ServerReuse.of(ctx.channel()); // http-reuse state; an HTTP/2 stream shares its connection's
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
        if (accessLog != null && !closed && !ProbeWatch.silent(ctx.channel())) { // http-ignore-probes: no line
            logClientGone(Termination.CLIENT); // access log: the client left mid-exchange or before a request
        }
        closed = true;
        if (inExchange) {
            stats.clientAborted();
        }
        if (local != null) {
            local.discard();
            local = null;
        }
        abandonServer();
        reuse.clientClosed(); // a connection private to this client closes with it
        ResponseCompressor.end(compressor); // compression: a deflater in use goes back to its pool
        releaseInbound();
        attempts.end(); // retry-on: kept request parts released
        clientDeadline.cancel();
        serverDeadline.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Drain.EVENT && front.plan().tuning().idleCloseOnResponse()) {
            evt = Drain.RELOAD; // option idle-close-on-response: an idle client is answered once more, with close
        }
        if (evt == Drain.RELOAD) {
            // Reload: the next response head says Connection: close (see Drain.RELOAD).
            closeAtNextHead = true;
            return;
        }
        if (evt == BodyWait.STARTED) {
            // option http-buffer-request: a request's body is awaited under timeout http-request
            // (a first request's has run since the connection opened).
            awaitingBody = true;
            if (!inExchange && !firstRequest) {
                clientDeadline.arm(front.clientTimeouts().effectiveHttpRequest());
            }
            return;
        }
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            clientHalfClosed();
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

    /**
     * The client sent its FIN. As HAProxy without {@code option abortonclose}: a request fully
     * received is still answered, then the connection closes; a client gone between requests, in
     * the middle of a request body, or (with abortonclose) before its server answered, is closed now.
     */
    private void clientHalfClosed() {
        clientInputShut = true;
        boolean received = requestDone;
        for (HttpObject part : inbound) {
            received |= part instanceof LastHttpContent; // the rest of the request waits in line
        }
        boolean abort = !inExchange && inbound.isEmpty() || inExchange && !received
                || inExchange && !responseStarted && backend != null && backend.plan().tuning().abortOnClose();
        if (abort && !closed) {
            ctx.close();
            return;
        }
        // Nothing more can come: the connection ends after the last request already received (finish()).
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
            if (local != null) {
                // Stats page / exporter: gather the body, then answer (issue 9).
                HttpObject part = inbound.poll();
                if (part == null) {
                    break;
                }
                if (local.add(part)) {
                    answerLocally();
                }
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
        if (closed || clientInputShut || !inbound.isEmpty()) {
            return;
        }
        boolean wanted = !inExchange || local != null
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
        HttpRefusal refusal = MessageRules.check(req, front.maxHeaders()); // tune.http.maxhdr
        if (refusal != null) {
            refuse(refusal, false);
            return;
        }
        awaitingBody = false;
        clientDeadline.arm(front.clientTimeouts().client());
        stats.begin();
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
        // use_backend reads the request as the frontend's http-request rules left it.
        facts.request(req);
        if (front.contentRejects(facts, ctx.channel())) { // tcp-request content reject: close, no answer
            facts.request(null);
            closed = true;
            releaseInbound();
            ctx.close();
            return;
        }
        if (front.monitor().matches(req.uri())) { // monitor-uri: answered before any http-request rule
            answerMonitor(front.monitor().status(facts));
            return;
        }
        dev.sluice.balancer.stick.Tracking.requestStarted(ctx.channel()); // stick tables: http_req_* of tracked keys
        // Rules hook: the frontend's http-request rules, then the backend's once it is chosen.
        Verdict verdict = rules.frontend(req);
        boolean answered = verdict.endsExchange();
        io.netty.handler.codec.http.FullHttpResponse cached = answered ? null : cache.lookup(rules.current(), req);
        if (cached != null) { // the frontend's cache-use: a hit is answered before any backend is chosen
            facts.request(null);
            answerFromCache(cached);
            return;
        }
        // option http-restrict-req-hdr-names, after each side's rules (HeaderNames)
        boolean badNames = !answered && !HeaderNames.allowed(req.headers(), front.plan().extras().headerNames());
        route = answered || badNames ? null : front.route(facts);
        if (route != null && BackendInspection.rejects(front, route, facts, ctx.channel())) { // backend tcp-request content reject: close, no answer
            facts.request(null);
            closed = true;
            releaseInbound();
            ctx.close();
            return;
        }
        if (route != null) {
            verdict = rules.backend(req, route);
            answered = verdict.endsExchange();
            badNames = !answered && !HeaderNames.allowed(req.headers(), route.backend().plan().extras().headerNames());
        }
        if (badNames) {
            facts.request(null);
            refuse(HttpRefusal.FORBIDDEN_HEADER_NAME, route != null);
            return;
        }
        // Services (stats page, Prometheus exporter) answer what the rules let through.
        LocalService service = answered ? null : front.localService(req, facts, route == null ? null : route.backend());
        facts.request(null);
        if (answered) {
            answerByRule(verdict);
            return;
        }
        cached = cache.lookup(rules.current(), req); // the backend's cache-use
        if (cached != null) {
            answerFromCache(cached);
            return;
        }
        if (service != null) {
            compressor = ResponseCompressor.requestLocal(compressor, front, route, req); // compression: as for a server
            local = new LocalExchange(service, req, ctx.alloc());
            return;
        }
        if (route == null) {
            refuse(HttpRefusal.NO_BACKEND, false);
            return;
        }
        if (forwardedValueFor != route.forwardedFor()) {
            // The client address is fixed for the connection (PROXY header included).
            forwardedValue = route.forwardedFor().valueFor(ClientAddress.of(ctx.channel()));
            forwardedValueFor = route.forwardedFor();
        }
        if (accessLog != null) {
            accessLog.requestRouted(req); // unique-id-format: the id made now, sent as unique-id-header
        }
        MessageRules.prepareRequest(req, upgradeRequested, route.forwardedFor(), forwardedValue,
                route.announcesClose()); // closesServer() unless option http-pretend-keepalive
        originalTo.apply(req.headers(), route.originalTo(), ctx.channel()); // option originalto
        backend = route.backend();
        compressor = ResponseCompressor.request(compressor, front.plan().tuning().compression(),
                backend.plan().tuning().compression(), req, front.counters(), backend.counters()); // compression: algorithm, offload
        if (accessLog != null) {
            accessLog.backend(backend); // access log: %b
        }
        BalanceInputs.fill(pick.reset(), backend.plan(), req, sourceBytes(), facts); // balance hash reads facts
        // use-server, force-persist, ignore-persist, option persist, then a valid persistence cookie (Attempts)
        persisted = attempts.begin(backend, req, facts, stickyState(), front.bufsize());
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
        attempts.sending(part); // retry-on: kept for a replay while it may come
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
            persisted = null;
        }
        // A persistence cookie's server first, then stick on|match|store-request (stick package), then
        // the balance algorithm; a retry balances.
        Server preferred = persisted == null && avoid == null
                ? PreferLastServer.take(backend, reuse.ownServer()) : null; // option prefer-last-server
        server = persisted != null ? attempts.takeAssigned(backend, persisted)
                : preferred != null ? preferred
                : avoid == null ? StickyServers.take(backend, front.stickTables(), facts, request, pick)
                : backend.takeFor(pick);
        if (server == null) {
            if (!queued && !backend.queueable()) {
                refuse(HttpRefusal.NO_SERVER, true);
                return;
            }
            // Woken but beaten to the slot, or new: in line, for the named server alone if persisted.
            boolean inLine = persisted != null ? backend.enqueueFor(persisted, waiter) : backend.enqueue(waiter, pick);
            if (!inLine) {
                queueFull();
                return;
            }
            if (!queued) {
                queued = true;
                queuedOn = backend;
                stats.queued(backend.counters(), backend.queued() + 1);
                serverDeadline.arm(serverTimeouts().effectiveQueue());
            }
            return;
        }
        if (queued) {
            queued = false;
            serverDeadline.disarm();
        }
        if (avoid != null) {
            // A retry (Attempts): wredis or wretr on the server it leaves; a session on the new one.
            stats.retried(server != avoid);
            stats.attemptTaken(server.counters());
            if (accessLog != null && server != avoid) {
                accessLog.redispatched(); // %rc "+N"
            }
        } else {
            stats.serverTaken(backend.counters(), server.counters());
        }
        facts.endRequestScope(); // req.* variables end when a server is asked for
        if (accessLog != null) {
            accessLog.serverTaken(server); // access log: end of Tw
        }
        Channel idle = reuse.take(server, backend.plan().reuse(), firstRequest); // http-reuse, private connections
        idle = ServerTlsConnect.fitting(idle, server, facts, request); // ssl: only a connection of the same SNI
        if (idle != null) {
            attach(idle, true);
        } else {
            connect();
        }
    }

    /** The server's {@code maxqueue} is reached: HAProxy redispatches a persistent request, else 503. */
    private void queueFull() {
        if (persisted != null && backend.plan().redispatch()) {
            persisted = null;
            stickyState().redispatched();
            takeServer(null);
            return;
        }
        leaveQueue();
        refuse(HttpRefusal.QUEUE_FULL, true);
    }

    private void connect() {
        connecting = true;
        stats.connecting(false);
        Server target = server;
        if (H2ServerStreams.speaksH2(target)) { // proto h2: a stream of a shared HTTP/2 connection (H2ServerStreams)
            H2ServerStreams.openStream(route.h2Connector(), ctx.channel().eventLoop(), target,
                    backend.plan().reuse() != dev.sluice.balancer.runtime.HttpReuse.NEVER, f -> connected(f, target));
            return;
        }
        // DNS may move the address; ssl: the future completes after the TLS handshake (ServerTlsConnect).
        ChannelFuture future = ServerTlsConnect.connect(route.connector(), ctx.channel().eventLoop(), target,
                target.address(), facts, request);
        future.addListener((ChannelFutureListener) f -> connected(f, target));
    }

    private void connected(ChannelFuture f, Server target) {
        if (closed || server != target) {
            f.channel().close();
            return;
        }
        connecting = false;
        if (f.isSuccess()) {
            target.connected(f.channel()); // passive health (observe layer4), on-marked-down/up
            attach(f.channel(), H2ServerStreams.reused(f.channel())); // an h2 stream may ride a used connection
            return;
        }
        target.connectFailed();
        log.debug("{}: connect to {} failed: {}", ctx.channel(), target.name(), f.cause().toString());
        if (attempts.retriesConnect()) { // retries, retry-on conn-failure
            retry(target, false);
            return;
        }
        refuse(HttpRefusal.CONNECT_FAILED, true); // counts econ once, as HAProxy
    }

    /**
     * The request goes again after a failed attempt on {@code failed}: to the same server, or with
     * {@code option redispatch} to another one (Attempts decides; takeServer counts it).
     * {@code afterSending}: an L7 retry ({@code retry-on}), which HAProxy counts once more in wretr.
     */
    private void retry(Server failed, boolean afterSending) {
        if (afterSending) {
            stats.retried(false);
        }
        if (accessLog != null) {
            accessLog.retried(); // access log: %rc
        }
        if (conn != null) {
            conn.detach();
            conn.channel().close();
            conn = null;
        }
        serverDeadline.disarm();
        if (attempts.retry(backend, failed)) {
            failed.giveBack();
            server = null;
            takeServer(failed);
            return;
        }
        stats.retried(false);
        stats.attemptTaken(failed.counters());
        connect();
    }

    /** retry-on after the request was sent: true when the request went again (see Attempts). */
    private boolean retriedAfterSending(dev.sluice.balancer.dispatch.RetryCause cause, HttpRefusal refusal) {
        if (responseStarted || interim || server == null
                || !attempts.retriesAfterSending(cause, rules.l7RetryDisabled())) {
            return false;
        }
        server.observe(refusal.observed()); // passive health sees the failed attempt
        if (cause == dev.sluice.balancer.dispatch.RetryCause.JUNK_RESPONSE) {
            stats.responseFailed(); // HAProxy counts eresp for junk before retrying
        }
        retry(server, true);
        return true;
    }

    private void attach(Channel channel, boolean fromPool) {
        conn = (ServerConnection) channel.pipeline().get(ServerConnection.NAME);
        conn.attach(this, server);
        ((ServerBytes) channel.pipeline().get(ServerBytes.NAME)).countInto(stats);
        if (accessLog != null) {
            accessLog.connected(channel); // access log: end of Tc, %bi/%bp
        }
        reused = fromPool;
        if (fromPool) {
            stats.connecting(true);
        }
        stats.connected();
        if (!fromPool) { // send-proxy: a new connection starts with the client's PROXY header
            dev.sluice.balancer.backend.ProxyLines.send(channel, ctx.channel(), server.plan().connections().proxyLine());
        }
        ServerNameHeader.apply(request, route, server); // http-send-name-header, on every attempt
        channel.write(request, channel.voidPromise());
        if (requestDone && !attempts.replay(channel)) { // retry-on: the kept body parts go again
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
                if (!retriedAfterSending(dev.sluice.balancer.dispatch.RetryCause.JUNK_RESPONSE,
                        HttpRefusal.BAD_RESPONSE)) { // retry-on junk-response
                    serverFailed(HttpRefusal.BAD_RESPONSE);
                }
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
            if (MessageRules.tooManyHeaders(response.headers(), front.maxHeaders())) { // tune.http.maxhdr: 502
                ReferenceCountUtil.release(part);
                serverFailed(HttpRefusal.BAD_RESPONSE);
                return;
            }
            if (status >= 100 && status < 200) {
                interim = true;
                stats.response(status);
                HopByHop.strip(response.headers(), false);
                ctx.write(response, ctx.voidPromise());
                return;
            }
            if (!interim && server != null && attempts.retriesStatus(status, rules.l7RetryDisabled())) {
                // retry-on <status>: this answer is dropped, the request goes again (Attempts).
                ReferenceCountUtil.release(part);
                retry(server, true);
                return;
            }
            if (!responseHead(response)) {
                return;
            }
        }
        if (part instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                // A truncated or malformed body must not reach the client as a complete one.
                ReferenceCountUtil.release(content);
                serverFailed(HttpRefusal.BAD_RESPONSE);
                return;
            }
            boolean last = content instanceof LastHttpContent;
            cache.body(content); // cache-store: the server's bytes, before compression
            ctx.write(ResponseCompressor.body(compressor, content, ctx.alloc()), ctx.voidPromise()); // compression
            if (last && interim) {
                // The end of a 1xx: the final response is still to come.
                interim = false;
            } else if (last) {
                finish();
            }
        }
    }

    /** False when a response rule refused the response (the client got the rule's reply instead). */
    private boolean responseHead(HttpResponse response) {
        if (server != null) {
            // Passive health (observe layer7) judges the server's own status, before any rule.
            server.observe(dev.sluice.balancer.runtime.ServerObserve.Event.ofStatus(response.status().code()));
        }
        ResponseCompressor.decide(compressor, response, head); // compression: judged on the server's own head
        if (ResponseContent.rejects(route, facts, accessLog)) { // tcp-response content reject: close, no answer
            ReferenceCountUtil.release(response);
            abandonServer();
            dropConnection();
            return false;
        }
        // Rules hook: http-response rules, the backend's then the frontend's.
        Verdict verdict = rules.response(request, response, route, server == null ? null : server.name());
        if (verdict == Verdict.SILENT_DROP) { // http-response silent-drop
            dev.sluice.balancer.log.LocalAnswers.responseRule(accessLog, verdict);
            ReferenceCountUtil.release(response);
            abandonServer();
            dropSilently();
            return false;
        }
        if (verdict.endsExchange()) {
            dev.sluice.balancer.log.LocalAnswers.responseRule(accessLog, verdict); // access log: PH/LH
            ReferenceCountUtil.release(response);
            abandonServer();
            sendRuleReply(false, false);
            return false;
        }
        cache.responseHead(rules.current(), response); // cache-store: the head as the response rules left it
        afterResponse.apply(request, response, route, server == null ? null : server.name()); // http-after-response
        responseStarted = true;
        attempts.responseStarted(); // retry-on: no replay once a response is on its way
        stats.response(response.status().code());
        dev.sluice.balancer.stick.Tracking.responseStatus(ctx.channel(), response.status().code()); // http_err_*
        if (accessLog != null) {
            accessLog.responseHead(response); // access log: end of Tr, %ST, response captures
        }
        ResponseCompressor.rewriteHead(compressor, response); // compression: chunked, Vary, Content-Encoding
        int outcome = MessageRules.prepareResponse(response, head, http10, clientKeepAlive && !draining && !closeAtNextHead
                && !closesClient());
        if (backend.cookies() != null && attempts.cookiesApply()) { // not after ignore-persist
            // Cookie persistence: the server's cookie rewritten, ours inserted.
            backend.cookies().onResponse(response, sticky, server);
        }
        // A request still sending its body when the response ends is handled in finish().
        closeAfter |= (outcome & MessageRules.CLOSE_CLIENT) != 0;
        serverReusable = (outcome & MessageRules.SERVER_REUSABLE) != 0 && !route.closesServer()
                && !conn.multiplexed(); // an HTTP/2 stream ends with its exchange
        encoder.answeringHead(head);
        ctx.write(response, ctx.voidPromise());
        return true;
    }

    /** A request rule answered (deny, tarpit, return, redirect): its reply goes out instead of a server's. */
    private void answerByRule(Verdict verdict) {
        // Access log: PR (deny), PT (tarpit) or LR (return, redirect), the backend whose rules answered.
        dev.sluice.balancer.log.LocalAnswers.requestRule(accessLog, verdict, route == null ? null : route.backend());
        if (verdict == Verdict.SILENT_DROP) { // http-request silent-drop
            dropSilently();
            return;
        }
        if (verdict != Verdict.TARPIT) {
            // As HAProxy 2.6: a deny (a 403, a rate limit's 429) keeps a kept-alive client, like a return.
            sendRuleReply(verdict == Verdict.REPLY, true);
            return;
        }
        // HAProxy's tarpit: hold the client without reading from it, then answer and close.
        clientDeadline.disarm();
        ctx.executor().schedule(() -> {
            if (!closed) {
                sendRuleReply(false, false);
            }
        }, rules.tarpit(route).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** A tcp-response content reject: the client connection closes unanswered; its line has no status. */
    private void dropConnection() {
        if (accessLog != null) {
            accessLog.end();
        }
        closed = true;
        releaseInbound();
        ctx.close();
    }

    /** A cache hit: the response rules of the proxies that took the request run on it, then it goes out. */
    private void answerFromCache(io.netty.handler.codec.http.FullHttpResponse cached) {
        if (route == null) {
            rules.frontendResponse(request, cached);
        } else {
            rules.response(request, cached, route, null);
        }
        dev.sluice.balancer.log.LocalAnswers.service(accessLog, "<CACHE>", cached.status().code()); // as haproxy logs it
        sendReply(cached, true, true);
    }

    /** {@code silent-drop}: the client connection vanishes; its line is logged without a status. */
    private void dropSilently() {
        if (accessLog != null) {
            accessLog.end();
        }
        closed = true;
        releaseInbound();
        dev.sluice.common.net.SilentDrop.drop(ctx.channel());
    }

    /**
     * Sends the rule's reply; the connection stays open for a kept-alive client unless the rule was a
     * tarpit. The parts of the answered request's body still to come are read and dropped.
     */
    private void sendRuleReply(boolean intercepted, boolean mayKeepAlive) {
        sendReply(rules.reply(ctx.alloc()), intercepted, mayKeepAlive);
    }

    /** Sends an answer made here (a rule's reply, a cached object) as {@link #sendRuleReply} does. */
    private void sendReply(io.netty.handler.codec.http.FullHttpResponse reply, boolean intercepted,
                           boolean mayKeepAlive) {
        afterResponse.apply(request, reply, route, null); // http-after-response
        // A return or redirect is intercepted; a deny or tarpit is denied.
        if (intercepted) {
            stats.intercepted(reply.status().code());
        } else {
            stats.denied(reply.status().code());
        }
        boolean keep = mayKeepAlive && clientKeepAlive && !draining && !upgradeRequested && !connectRequested
                && !encoder.singleExchange() && !closesClient() && !(clientInputShut && inbound.isEmpty());
        boolean close = (MessageRules.prepareResponse(reply, head, http10, keep) & MessageRules.CLOSE_CLIENT) != 0;
        encoder.answeringHead(head);
        ctx.write(reply, ctx.voidPromise());
        dev.sluice.balancer.log.LocalAnswers.replySent(accessLog, reply.status().code()); // access log: its line
        reset();
        if (close) {
            closed = true;
            releaseInbound();
            clientDeadline.cancel();
            serverDeadline.cancel();
            encoder.flushAndEnd(ctx);
            return;
        }
        ctx.flush();
        firstRequest = false;
        clientDeadline.arm(front.clientTimeouts().effectiveHttpKeepAlive());
        process();
        readClientIfWanted();
    }

    /**
     * The server accepted an Upgrade (101) or a CONNECT (2xx): its response goes out, then both
     * connections carry opaque bytes under {@code timeout tunnel} (see {@link TunnelSwitch}).
     */
    private void startTunnel(HttpResponse response) {
        boolean upgrade = response.status().code() == 101;
        stats.response(response.status().code());
        stats.finish();
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
        TunnelSwitch.start(ctx.channel(), this, serverChannel, tunnelled, serverTunnelTimeout(),
                front.plan().timeouts().clientFin(), serverTimeouts().serverFin());
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
        if (!responseStarted && !interim && requestBodyless && requestDone
                && closedConn.resendable(reused, MessageRules.idempotent(request.method()), resent)) {
            // The pooled connection was closed by the server as we sent, or an h2 server left the
            // request unprocessed (GOAWAY, REFUSED_STREAM): resend on a new one.
            resent = true;
            conn = null;
            log.debug("{}: pooled connection to {} closed, resending", ctx.channel(), server.name());
            connect();
            return;
        }
        if (retriedAfterSending(dev.sluice.balancer.dispatch.RetryCause.EMPTY_RESPONSE, HttpRefusal.NO_RESPONSE)) {
            return; // retry-on empty-response
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
        if (inExchange && !connecting
                && !retriedAfterSending(dev.sluice.balancer.dispatch.RetryCause.RESPONSE_TIMEOUT,
                HttpRefusal.SERVER_TIMEOUT)) { // retry-on response-timeout
            serverFailed(HttpRefusal.SERVER_TIMEOUT);
        }
    }

    private void serverFailed(HttpRefusal refusal) {
        if (server != null) {
            server.observe(refusal.observed()); // passive health: observe layer7
        }
        if (responseStarted) {
            // Part of the response is out: the client can only learn by the connection closing.
            front.count(refusal);
            stats.serverFailedMidResponse();
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
        stats.finish();
        if (conn != null) {
            if (serverReusable && requestDone && conn.channel().isActive()) {
                reuse.release(conn, backend.plan().reuse()); // http-reuse, max-reuse, pool-max-conn
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
        boolean close = closeAfter || !requestDone || draining || encoder.singleExchange()
                || clientInputShut && inbound.isEmpty(); // a half-closed client's last request
        reset();
        if (close) {
            encoder.flushAndEnd(ctx);
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

    /** The frontend's {@code option httpclose}: the client connection ends after each response. */
    private boolean closesClient() {
        return front.plan().connectionMode() == HttpConnectionMode.CLOSE;
    }

    private StickyState stickyState() {
        if (sticky == null) {
            sticky = new StickyState();
        }
        return sticky;
    }

    private void reset() {
        dev.sluice.balancer.stick.Tracking.requestEnded(ctx.channel()); // request-level tracks end
        rules.endRequest();
        cache.end(); // cache-store: an unfinished response is not stored
        ResponseCompressor.end(compressor); // compression: the deflater back to its pool
        inExchange = false;
        persisted = null;
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
        resent = false;
        attempts.end(); // retry-on: kept request parts released
        encoder.answeringHead(false);
    }

    // ---- refusals and endings ------------------------------------------------------------------

    private void clientTimedOut() {
        if (closed) {
            return;
        }
        if (!inExchange) {
            if (firstRequest && ProbeWatch.silent(ctx.channel())) {
                // option http-ignore-probes: a connection that never sent a byte ends without a 408 or a log line.
                closed = true;
                releaseInbound();
                ctx.close();
            } else if (firstRequest || awaitingBody) { // a held request (BodyWait) times out like a first one
                refuse(HttpRefusal.REQUEST_TIMEOUT, false);
            } else {
                // An idle kept-alive connection simply ends, as with HAProxy.
                ctx.close();
            }
            return;
        }
        log.debug("{}: client timeout during an exchange", ctx.channel());
        stats.clientAborted();
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
        stats.refused(refusal.status(), refusal.status() < 500, refusal == HttpRefusal.CONNECT_FAILED);
        dev.sluice.balancer.stick.Tracking.responseStatus(ctx.channel(), refusal.status()); // http_err_*
        log.debug("{}: {} ({})", ctx.channel(), refusal.code(), refusal.sentence());
        abandonServer();
        closed = true;
        releaseInbound();
        clientDeadline.cancel();
        serverDeadline.cancel();
        ErrorPages pages = backendChosen && route != null ? route.pages() : front.frontPages();
        if (accessLog != null) {
            HttpTermination.refused(accessLog, refusal); // access log: our own answer (status, state, counts)
        }
        // http-error replies made per request (ErrorReplyPage), then http-after-response
        encoder.sendRefusal(ctx, afterResponse.page(ErrorReplyPage.page(pages, refusal.status(), rules, facts, request,
                backendChosen ? route : null, ctx.alloc()), request, route, ctx.alloc()));
        if (accessLog != null) {
            accessLog.end(); // access log: its line, the page counted in %B
        }
    }

    /** The monitor-uri answer (200, or 503 for monitor fail), never logged; the connection then closes. */
    private void answerMonitor(int status) {
        facts.request(null);
        stats.intercepted(status);
        if (accessLog != null) {
            accessLog.discard(); // HAProxy does not log monitor requests
        }
        closed = true;
        inExchange = false;
        releaseInbound();
        clientDeadline.cancel();
        serverDeadline.cancel();
        io.netty.buffer.ByteBuf page = afterResponse.page(front.frontPages().page(status), request, null, ctx.alloc());
        encoder.sendRefusal(ctx, head ? MonitorUri.headOnly(page) : page); // a HEAD answer has no body
    }

    /** Writes the local service's answer, then goes on as after a proxied response (issue 9). */
    private void answerLocally() {
        facts.request(request);
        io.netty.handler.codec.http.FullHttpResponse response = local.answer(facts, ctx.alloc());
        facts.request(null);
        afterResponse.apply(request, response, route, null); // http-after-response
        // Access log: LR, with <STATS> or <PROMEX> as the server.
        dev.sluice.balancer.log.LocalAnswers.service(accessLog, local.serviceName(), response.status().code());
        local = null;
        requestDone = true;
        stats.intercepted(response.status().code());
        // A service may ask to close (a malformed body): the connection cannot go on.
        closeAfter |= !HttpUtil.isKeepAlive(response);
        int outcome = MessageRules.prepareResponse(response, head, http10, clientKeepAlive && !draining
                && !closesClient());
        closeAfter |= (outcome & MessageRules.CLOSE_CLIENT) != 0;
        encoder.answeringHead(head);
        ResponseCompressor.writeWhole(compressor, ctx, response, head); // compression: as a server's answer
        finish();
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
