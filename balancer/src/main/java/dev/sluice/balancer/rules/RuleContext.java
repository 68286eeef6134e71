package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.format.FormatContext;
import dev.sluice.balancer.format.FormatString;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What rules act on for one client connection: the current request (and response), the view the
 * conditions and samples read, the proxy names, and the reply a final rule chose. One per
 * connection, reused for each request; used on the connection's event loop only.
 */
public final class RuleContext implements FormatContext {
    /** Characters a rendered value usually needs; the scratch builder grows past it when needed. */
    private static final int SCRATCH_CAPACITY = 128;

    private final RequestView view;
    private final Consumer<HttpRequest> requestChanged;
    private final StringBuilder scratch = new StringBuilder(SCRATCH_CAPACITY);
    private final CharSequence frontend;
    private HttpRequest request;
    private HttpResponse response;
    private CharSequence backend;
    private CharSequence server;
    private Reply reply;
    private String replyLocation;
    /** {@code http-request disable-l7-retry} ran for the current request. */
    private boolean l7RetryDisabled;
    /** The caches {@code cache-use} and {@code cache-store} named for this request (CacheActions). */
    private dev.sluice.balancer.cache.ObjectCache cacheUse;
    private dev.sluice.balancer.cache.ObjectCache cacheStore;
    private io.netty.handler.codec.http.HttpHeaders cacheStoreHeaders;

    /**
     * @param view           what conditions and samples read; it shows {@link #httpRequest()}
     * @param requestChanged told after a rule rewrote the request, so the view re-reads it
     */
    public RuleContext(RequestView view, Consumer<HttpRequest> requestChanged, CharSequence frontend) {
        this.view = Objects.requireNonNull(view, "view");
        this.requestChanged = Objects.requireNonNull(requestChanged, "requestChanged");
        this.frontend = frontend;
    }

    /** Starts a request: forgets the previous one's response, backend, server and reply. */
    public void startRequest(HttpRequest current) {
        request = current;
        response = null;
        backend = null;
        server = null;
        reply = null;
        replyLocation = null;
        l7RetryDisabled = false;
        cacheUse = null;
        cacheStore = null;
        cacheStoreHeaders = null;
    }

    /** {@code http-request disable-l7-retry}: the current request is retried after a failed connect only. */
    public void disableL7Retry() {
        l7RetryDisabled = true;
    }

    public boolean l7RetryDisabled() {
        return l7RetryDisabled;
    }

    public void backend(CharSequence name) {
        backend = name;
    }

    public void server(CharSequence name) {
        server = name;
    }

    /** Starts the response phase of the current request. */
    public void startResponse(HttpResponse current) {
        response = current;
        reply = null;
    }

    public HttpRequest httpRequest() {
        return request;
    }

    public HttpResponse httpResponse() {
        return response;
    }

    /** A rule changed the request line or headers. */
    void requestChanged() {
        requestChanged.accept(request);
    }

    /** The value of {@code format}, in a builder reused by the next call. */
    StringBuilder render(FormatString format) {
        scratch.setLength(0);
        format.render(scratch, this);
        return scratch;
    }

    /** The value of {@code format} as a String: a constant one is not rendered again. */
    String renderString(FormatString format) {
        String constant = format.constant();
        return constant != null ? constant : render(format).toString();
    }

    void reply(Reply chosen, String location) {
        reply = chosen;
        replyLocation = location;
    }

    void cacheUse(dev.sluice.balancer.cache.ObjectCache cache) {
        cacheUse = cache;
    }

    /** HAProxy stores the response headers as they are when {@code cache-store} runs: a copy is kept. */
    void cacheStore(dev.sluice.balancer.cache.ObjectCache cache) {
        cacheStore = cache;
        cacheStoreHeaders = response == null ? null
                : new io.netty.handler.codec.http.DefaultHttpHeaders().set(response.headers());
    }

    /** The cache the last {@code http-request cache-use} of this request named, or null. */
    public dev.sluice.balancer.cache.ObjectCache cacheUse() {
        return cacheUse;
    }

    /** The cache the last {@code http-response cache-store} of this response named, or null. */
    public dev.sluice.balancer.cache.ObjectCache cacheStore() {
        return cacheStore;
    }

    /** The response headers as {@code cache-store} saw them (the object stores these), or null. */
    public io.netty.handler.codec.http.HttpHeaders cacheStoreHeaders() {
        return cacheStoreHeaders;
    }

    /** The reply of the last final rule, or null. */
    public Reply reply() {
        return reply;
    }

    /** Builds the chosen reply (the caller sends and so releases it); null when no rule chose one. */
    public FullHttpResponse buildReply(ByteBufAllocator alloc) {
        return reply == null ? null : reply.build(this, replyLocation, alloc);
    }

    @Override
    public RequestView request() {
        return view;
    }

    @Override
    public CharSequence frontendName() {
        return frontend;
    }

    @Override
    public CharSequence backendName() {
        return backend;
    }

    @Override
    public CharSequence serverName() {
        return server;
    }
}
