package dev.sluice.balancer.cache;

import dev.sluice.balancer.rules.RuleContext;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client connection's use of the cache, called by the HTTP exchange at three points: after the
 * request rules ({@link #lookup}: a hit is answered like {@code http-request return}), at the
 * response head after the response rules ({@link #responseHead}: {@code cache-store} decides), and
 * for each response body part ({@link #body}: copied aside until the object is complete). Used on
 * the connection's event loop only; a connection whose rules name no cache only pays a null check.
 */
public final class CacheExchange {
    /** A body without Content-Length starts with this much room; it grows up to max-object-size. */
    private static final int INITIAL_BODY_BYTES = 1024;

    /** The key {@code cache-use} computed for the current request, or null. */
    private String primaryKey;
    private int requestFlags;
    private HttpHeaders requestHeaders;
    private Fill fill;

    /** A response being copied into the cache. */
    private static final class Fill {
        final ObjectCache cache;
        final List<String> varyNames;
        final HttpHeaders headers;
        final long freshSeconds;
        final long initialAge;
        final int limit;
        byte[] body;
        int length;

        Fill(ObjectCache cache, List<String> varyNames, HttpHeaders headers, long freshSeconds, long initialAge,
             int limit, int expected) {
            this.cache = cache;
            this.varyNames = varyNames;
            this.headers = headers;
            this.freshSeconds = freshSeconds;
            this.initialAge = initialAge;
            this.limit = limit;
            this.body = new byte[expected >= 0 ? expected : Math.min(INITIAL_BODY_BYTES, limit)];
        }

        /** False when the body grew past the limit. */
        boolean append(ByteBuf part) {
            int n = part.readableBytes();
            if (n > limit - length) {
                return false;
            }
            if (length + n > body.length) {
                body = Arrays.copyOf(body, Math.min(limit, Math.max(length + n, body.length * 2)));
            }
            part.getBytes(part.readerIndex(), body, length, n);
            length += n;
            return true;
        }
    }

    /**
     * After the request rules: when {@code cache-use} named a cache, computes the request's key (which
     * {@code cache-store} needs later) and returns the stored answer if there is a fresh one; null
     * otherwise (the request goes on to a server). The caller sends and so releases the answer.
     *
     * @param rules the connection's rule context, or null when it has no rules
     */
    public FullHttpResponse lookup(RuleContext rules, HttpRequest request) {
        end();
        ObjectCache cache = rules == null ? null : rules.cacheUse();
        if (cache == null) {
            return null;
        }
        requestFlags = Cacheability.request(request);
        if (requestFlags == 0) {
            return null;
        }
        primaryKey = key(request);
        requestHeaders = request.headers();
        if ((requestFlags & Cacheability.LOOKUP) == 0) {
            return null;
        }
        CachedObject hit = cache.find(primaryKey, requestHeaders);
        return hit == null ? null : CachedReply.of(hit, request, cache.now());
    }

    /** HAProxy's key: the Host header and the URI as the client sent it (an absolute URI alone). */
    static String key(HttpRequest request) {
        String uri = request.uri();
        if (!uri.startsWith("/")) {
            return uri;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        return host == null ? uri : host + uri;
    }

    /**
     * At the response head, after the response rules: starts copying the response when
     * {@code cache-store} named a cache and HAProxy would store it, with the headers as they were when
     * {@code cache-store} ran (later response rules and {@code http-after-response} do not change them).
     */
    public void responseHead(RuleContext rules, HttpResponse response) {
        fill = null;
        ObjectCache cache = rules == null ? null : rules.cacheStore();
        HttpHeaders seen = cache == null ? null : rules.cacheStoreHeaders();
        if (seen == null || primaryKey == null || (requestFlags & Cacheability.STORE) == 0) {
            return;
        }
        CacheSection section = cache.section();
        HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(response.protocolVersion(),
                response.status(), seen);
        long fresh = Cacheability.freshSeconds(head, section.maxAgeSeconds());
        List<String> vary = fresh < 0 ? null : Vary.names(seen);
        if (vary == null || (!vary.isEmpty() && !section.processVary())) {
            return;
        }
        long declared = HttpUtil.getContentLength(head, -1L);
        HttpHeaders headers = seen; // a copy the rule context made for this response only
        for (CharSequence hop : List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
                HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.CONTENT_LENGTH)) {
            headers.remove(hop);
        }
        int limit = section.maxObjectBytes() - CachedObject.headerBytes(headers);
        if (limit < 0 || declared > limit) {
            return;
        }
        fill = new Fill(cache, vary, headers, fresh, Cacheability.initialAge(seen), limit,
                (int) declared);
    }

    /** A part of the response body (before compression); the last one stores the object. */
    public void body(HttpContent part) {
        Fill current = fill;
        if (current == null) {
            return;
        }
        if (!current.append(part.content())) {
            fill = null;
            return;
        }
        if (part instanceof LastHttpContent) {
            fill = null;
            byte[] body = current.length == current.body.length ? current.body
                    : Arrays.copyOf(current.body, current.length);
            current.cache.store(new CachedObject(primaryKey, Vary.of(current.varyNames, requestHeaders, current.headers),
                    current.headers, body, current.cache.now(),
                    TimeUnit.SECONDS.toNanos(current.freshSeconds), current.initialAge));
        }
    }

    /** The exchange is over (or abandoned): a response not complete by now is not stored. */
    public void end() {
        primaryKey = null;
        requestFlags = 0;
        requestHeaders = null;
        fill = null;
    }
}
