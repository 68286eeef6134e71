package dev.sluice.balancer.http;

import dev.sluice.balancer.log.AccessLog;
import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.route.Router;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.common.net.Transport;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
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
    private final int bufsize;
    private final AccessLog accessLog;
    private final LongAdder[] refusals = new LongAdder[HttpRefusal.values().length];

    /**
     * @param backends every backend of the plan by name; the frontend's rules choose among them
     * @param state    live backend figures for the state fetches of its conditions
     */
    public HttpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, int bufsize,
                        Transport transport) {
        this(plan, backends, state, bufsize, transport, AccessLog.OFF);
    }

    /** @param accessLog where this frontend's requests are logged ({@link AccessLog#OFF} for nowhere) */
    public HttpFrontend(FrontendPlan plan, Map<String, Backend> backends, StateView state, int bufsize,
                        Transport transport, AccessLog accessLog) {
        this.accessLog = accessLog;
        this.plan = plan;
        this.bufsize = bufsize;
        this.state = state;
        this.frontPages = new ErrorPages(plan.errorfiles());
        Map<String, Route> routes = new HashMap<>();
        this.router = new Router<>(plan, name -> routes.computeIfAbsent(name,
                n -> new Route(plan, backends.get(n), frontPages, bufsize, transport)));
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /** Installs the HTTP handlers on a new client connection. */
    public void initClient(Channel channel) {
        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
        channel.pipeline()
                .addLast(CODEC, new StrictRequestDecoder(bufsize))
                .addLast(ENCODER, encoder)
                .addLast(EXCHANGE, new HttpExchangeHandler(this, encoder, new ConnectionFacts(channel, state)));
    }

    AccessLog accessLog() {
        return accessLog;
    }

    public FrontendPlan plan() {
        return plan;
    }

    /** The route of the first {@code use_backend} rule that matches the request, else the default; may be null. */
    Route route(ConnectionFacts request) {
        return router.choose(request);
    }

    /** The frontend's own pages, for refusals before a backend is chosen. */
    ErrorPages frontPages() {
        return frontPages;
    }

    Timeouts clientTimeouts() {
        return plan.timeouts();
    }

    void count(HttpRefusal refusal) {
        refusals[refusal.ordinal()].increment();
    }

    /** How many times {@code refusal} happened on this frontend. */
    public long refusals(HttpRefusal refusal) {
        return refusals[refusal.ordinal()].sum();
    }

    @ChannelHandler.Sharable
    static final class ServerInitializer extends ChannelInitializer<Channel> {
        private final HttpDecoderConfig config;

        ServerInitializer(int bufsize) {
            config = new HttpDecoderConfig()
                    .setMaxInitialLineLength(bufsize)
                    .setMaxHeaderSize(bufsize)
                    .setMaxChunkSize(bufsize)
                    .setStrictLineParsing(false)
                    .setUseRfc9112TransferEncoding(true)
                    .setAllowDuplicateContentLengths(false);
        }

        @Override
        protected void initChannel(Channel channel) {
            channel.pipeline()
                    .addLast(SERVER_CODEC, new HttpClientCodec(config, false, false))
                    .addLast(ServerConnection.NAME, new ServerConnection());
        }
    }
}
