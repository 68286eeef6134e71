package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Connector;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.common.net.Transport;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP frontend at run time, shared by all its connections: where requests go, what they get
 * on the way, the error pages, and the refusal counters.
 */
public final class HttpFrontend {
    static final String CODEC = "http-decoder";
    static final String ENCODER = "http-encoder";
    static final String EXCHANGE = "http-exchange";
    static final String SERVER_CODEC = "server-codec";

    private final FrontendPlan plan;
    private final Backend backend;
    private final ForwardedFor forwardedFor;
    private final ErrorPages frontPages;
    private final ErrorPages backendPages;
    private final int bufsize;
    private final Connector connector;
    private final LongAdder[] refusals = new LongAdder[HttpRefusal.values().length];

    /** @param backend the backend every request goes to (use_backend has no conditions yet), or null */
    public HttpFrontend(FrontendPlan plan, Backend backend, int bufsize, Transport transport) {
        this.plan = plan;
        this.backend = backend;
        this.bufsize = bufsize;
        this.forwardedFor = new ForwardedFor(plan.forwardFor(),
                backend == null ? ForwardFor.DISABLED : backend.plan().forwardFor());
        this.frontPages = new ErrorPages(plan.errorfiles());
        this.backendPages = backend == null ? frontPages : frontPages.overriddenBy(backend.plan().errorfiles());
        Timeouts serverSide = backend == null ? Timeouts.NONE : backend.plan().timeouts();
        this.connector = new Connector(transport, serverSide.connect(), new ServerInitializer(bufsize));
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
                .addLast(EXCHANGE, new HttpExchangeHandler(this, encoder));
    }

    public FrontendPlan plan() {
        return plan;
    }

    Backend backend() {
        return backend;
    }

    ForwardedFor forwardedFor() {
        return forwardedFor;
    }

    ErrorPages pages(boolean backendChosen) {
        return backendChosen ? backendPages : frontPages;
    }

    Connector connector() {
        return connector;
    }

    Timeouts clientTimeouts() {
        return plan.timeouts();
    }

    Timeouts serverTimeouts() {
        return backend == null ? Timeouts.NONE : backend.plan().timeouts();
    }

    void count(HttpRefusal refusal) {
        refusals[refusal.ordinal()].increment();
    }

    /** How many times {@code refusal} happened on this frontend. */
    public long refusals(HttpRefusal refusal) {
        return refusals[refusal.ordinal()].sum();
    }

    @ChannelHandler.Sharable
    private static final class ServerInitializer extends ChannelInitializer<Channel> {
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
