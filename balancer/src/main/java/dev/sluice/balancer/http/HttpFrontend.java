package dev.sluice.balancer.http;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.log.AccessLog;
import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.front.ProxyHeaderPhase;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.route.Router;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.H2Limits;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.stats.Counters;
import dev.sluice.balancer.stats.ServerBytes;
import dev.sluice.common.net.Transport;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP frontend at run time, shared by all its connections: where requests go (its
 * {@code use_backend} rules, tried per request), the error pages, and the refusal counters.
 */
public final class HttpFrontend {
    static final String CODEC = "http-decoder";
    static final String ENCODER = "http-encoder";
    static final String EXCHANGE = "http-exchange";
    static final String SERVER_CODEC = "server-codec";

    private final FrontendPlan plan;
    private final Router<Route> router;
    private final StateView state;
    private final ErrorPages frontPages;
    /** {@code monitor-uri} and {@code monitor fail}. */
    private final MonitorUri monitor;
    /** option http-buffer-request: on the frontend, or on a backend its static rules can choose. */
    private final boolean bufferRequest;
    private final int bufsize;
    /** tune.http.maxhdr and the server socket buffers. */
    private final dev.sluice.balancer.runtime.GlobalTuning globalTuning;
    private final AccessLog accessLog;
    private final LongAdder[] refusals = new LongAdder[HttpRefusal.values().length];
    /** The frontend's figures for the stats page, CSV and exporter (issue 9). */
    private final Counters counters = new Counters();
    private volatile LocalService.Selector services = LocalService.Selector.NONE;
    private final H2Limits h2Limits;
    private final LongAdder[] h2Refusals = new LongAdder[H2Refusal.values().length];

    /**
     * @param backends every backend of the plan by name; the frontend's rules choose among them
     * @param state    live backend figures for the state fetches of its conditions
     */
    public HttpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, int bufsize,
                        Transport transport) {
        this(plan, backends, state, bufsize, transport, H2Limits.DEFAULTS, AccessLog.OFF);
    }

    /**
     * @param h2Limits  what an HTTP/2 client connection may use ({@code tune.h2.*})
     * @param accessLog where this frontend's requests are logged ({@link AccessLog#OFF} for nowhere)
     */
    public HttpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, int bufsize,
                        Transport transport, H2Limits h2Limits, AccessLog accessLog) {
        this(plan, backends, state, bufsize, transport, h2Limits, accessLog,
                dev.sluice.balancer.runtime.GlobalTuning.DEFAULTS);
    }

    /** @param globalTuning tune.http.maxhdr and the server socket buffer sizes */
    public HttpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, int bufsize,
                        Transport transport, H2Limits h2Limits, AccessLog accessLog,
                        dev.sluice.balancer.runtime.GlobalTuning globalTuning) {
        this.globalTuning = java.util.Objects.requireNonNull(globalTuning, "globalTuning");
        this.accessLog = accessLog;
        this.plan = plan;
        this.h2Limits = h2Limits;
        this.bufsize = bufsize;
        this.state = state;
        this.frontPages = new ErrorPages(plan.errorfiles(), plan.extras().errorReplies());
        this.monitor = new MonitorUri(plan.tuning().monitor());
        this.bufferRequest = bufferRequest(plan, backends);
        Map<String, Route> routes = new HashMap<>();
        // A dynamic use_backend may name any HTTP backend.
        java.util.List<String> httpBackends = backends.entrySet().stream()
                .filter(e -> e.getValue().plan().mode() == dev.sluice.balancer.runtime.Mode.HTTP)
                .map(Map.Entry::getKey).sorted().toList();
        this.router = new Router<>(plan, name -> routes.computeIfAbsent(name,
                n -> new Route(plan, backends.get(n), frontPages, bufsize, transport, globalTuning)), httpBackends);
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
        for (int i = 0; i < h2Refusals.length; i++) {
            h2Refusals[i] = new LongAdder();
        }
    }

    /**
     * Installs the HTTP handlers on a new client connection: HTTP/2 on a {@code proto h2} bind
     * (see {@link H2Connection#markPriorKnowledge}); behind {@code accept-proxy}, the protocol
     * the PROXY header's ALPN names; else HTTP/1.1.
     */
    public void initClient(Channel channel) {
        if (H2Connection.priorKnowledge(channel)) {
            initHttp2(channel);
        } else if (channel.pipeline().get(ProxyHeaderPhase.NAME) != null) {
            channel.pipeline().addLast(ProtocolChoice.NAME, new ProtocolChoice(this));
        } else {
            initHttp1(channel);
        }
    }

    void initHttp2(Channel channel) {
        H2Connection.install(channel, this, h2Limits, bufsize);
    }

    void initHttp1(Channel channel) {
        // A client's FIN after its request still gets the response (HttpExchangeHandler.clientInputShut).
        channel.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
        channel.pipeline()
                .addLast(CODEC, new RequestHeadDecoder(bufsize))
                .addLast(ENCODER, encoder)
                .addLast(EXCHANGE, new HttpExchangeHandler(this, encoder, new ConnectionFacts(channel, state)));
        addBodyWait(channel, true);
        if (plan.tuning().ignoreProbes()) {
            channel.pipeline().addBefore(CODEC, ProbeWatch.NAME, new ProbeWatch()); // option http-ignore-probes
        }
    }

    /** option http-buffer-request: holds each request with a body until it is here (see BodyWait). */
    void addBodyWait(Channel channel, boolean http1) {
        if (bufferRequest) {
            channel.pipeline().addBefore(EXCHANGE, BodyWait.NAME, new BodyWait(bufsize, http1, monitor));
        }
    }

    AccessLog accessLog() {
        return accessLog;
    }

    /** {@code tune.bufsize}: the largest request a retry may send again (see Attempts). */
    int bufsize() {
        return bufsize;
    }

    public FrontendPlan plan() {
        return plan;
    }

    /** The route of the first {@code use_backend} rule that matches the request, else the default; may be null. */
    Route route(ConnectionFacts request) {
        return router.choose(request);
    }

    /**
     * Runs the {@code tcp-request content} rules on a request (HTTP mode runs them per request, as
     * HAProxy does); whether one rejected it.
     */
    boolean contentRejects(ConnectionFacts request, Channel channel) {
        java.util.List<dev.sluice.balancer.stick.TcpRule> content = plan.tcpRules().content();
        if (content.isEmpty()) {
            return false;
        }
        var verdict = dev.sluice.balancer.stick.TcpRules.run(content, request, channel, state.stickTables());
        if (verdict == dev.sluice.balancer.stick.TcpRules.Verdict.SILENT_DROP) {
            dev.sluice.common.net.SilentDrop.drop(channel); // tcp-request content silent-drop
            return true;
        }
        return verdict == dev.sluice.balancer.stick.TcpRules.Verdict.REJECT;
    }

    /** The running stick tables, for the backends' stick rules. */
    dev.sluice.balancer.stick.StickTables stickTables() {
        return state.stickTables();
    }

    /**
     * HAProxy also waits for the body when only the chosen backend sets the option (after the
     * frontend's rules); here the wait happens before routing whenever a backend this frontend
     * names in {@code default_backend} or a fixed {@code use_backend} sets it.
     */
    private static boolean bufferRequest(FrontendPlan plan, Map<String, Backend> backends) {
        if (plan.tuning().bufferRequest()) {
            return true;
        }
        java.util.List<String> named = new java.util.ArrayList<>();
        if (plan.defaultBackend() != null) {
            named.add(plan.defaultBackend());
        }
        plan.useBackends().forEach(rule -> named.add(rule.backend()));
        return named.stream().map(backends::get)
                .anyMatch(b -> b != null && b.plan().tuning().bufferRequest());
    }

    MonitorUri monitor() {
        return monitor;
    }

    /** monitor-uri, originalto, keep-alive and http-buffer-request settings of this frontend. */
    dev.sluice.balancer.runtime.ProxyTuning tuning() {
        return plan.tuning();
    }

    /** The frontend's own pages, for refusals before a backend is chosen. */
    /** Header lines a request or response may carry besides its first line ({@code tune.http.maxhdr} - 1). */
    int maxHeaders() {
        return globalTuning.maxHeaders();
    }

    ErrorPages frontPages() {
        return frontPages;
    }

    Timeouts clientTimeouts() {
        return plan.timeouts();
    }

    void count(HttpRefusal refusal) {
        refusals[refusal.ordinal()].increment();
    }

    void count(H2Refusal refusal) {
        h2Refusals[refusal.ordinal()].increment();
    }

    /** How many HTTP/2 connections of this frontend ended with a GOAWAY for {@code refusal}. */
    public long h2Refusals(H2Refusal refusal) {
        return h2Refusals[refusal.ordinal()].sum();
    }

    StateView state() {
        return state;
    }

    /** How many times {@code refusal} happened on this frontend. */
    public long refusals(HttpRefusal refusal) {
        return refusals[refusal.ordinal()].sum();
    }

    /** The frontend's stats figures. */
    public Counters counters() {
        return counters;
    }

    /** Installs what answers requests inside the balancer (stats page, exporter); set once at start. */
    public void services(LocalService.Selector selector) {
        this.services = java.util.Objects.requireNonNull(selector, "selector");
    }

    /** The local service that answers {@code request}, or null; {@code backend} is the routed backend or null. */
    LocalService localService(HttpRequest request, RequestView view, Backend backend) {
        return services.select(request, view, backend == null ? null : backend.name());
    }

    @ChannelHandler.Sharable
    static final class ServerInitializer extends ChannelInitializer<Channel> {
        private final int bufsize;
        private final int headRoom;

        ServerInitializer(int bufsize) {
            this(bufsize, bufsize);
        }

        /** @param headRoom the most bytes of a response head: tune.bufsize - tune.maxrewrite */
        ServerInitializer(int bufsize, int headRoom) {
            this.bufsize = bufsize;
            this.headRoom = headRoom;
        }

        @Override
        protected void initChannel(Channel channel) {
            channel.pipeline()
                    .addLast(ServerBytes.NAME, new ServerBytes())
                    .addLast(SERVER_CODEC, new ServerCodec(bufsize, headRoom)) // one-pass response decoder
                    .addLast(ServerConnection.NAME, new ServerConnection());
        }
    }
}
