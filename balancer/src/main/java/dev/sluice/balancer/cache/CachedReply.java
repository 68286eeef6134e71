package dev.sluice.balancer.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Date;

/**
 * The answer the cache gives for a hit: the stored headers plus {@code Age}, the stored body
 * wrapped (not copied), no body for HEAD, and a 304 when the request's validator matches
 * ({@code If-None-Match} against {@code ETag}, else {@code If-Modified-Since} against
 * {@code Last-Modified}), as HAProxy 2.6 answers.
 */
final class CachedReply {

    private CachedReply() {
    }

    /** The reply for {@code request}, or null when the object left the cache meanwhile. */
    static FullHttpResponse of(CachedObject object, HttpRequest request, long nowNanos) {
        byte[] body = object.body();
        if (body == null) {
            return null;
        }
        boolean notModified = notModified(request.headers(), object.headers());
        HttpHeaders headers = new DefaultHttpHeaders().set(object.headers());
        headers.set(HttpHeaderNames.AGE, object.ageSeconds(nowNanos));
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        boolean bodyless = notModified || HttpMethod.HEAD.equals(request.method());
        ByteBuf content = bodyless ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK, content, headers,
                EmptyHttpHeaders.INSTANCE);
    }

    /** RFC 9110 section 13.2.2: {@code If-None-Match} decides when present, else {@code If-Modified-Since}. */
    static boolean notModified(HttpHeaders request, HttpHeaders stored) {
        String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            String etag = stored.get(HttpHeaderNames.ETAG);
            return etag != null && anyMatches(ifNoneMatch, opaque(etag.trim()));
        }
        String ifModifiedSince = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        String lastModified = stored.get(HttpHeaderNames.LAST_MODIFIED);
        if (ifModifiedSince == null || lastModified == null) {
            return false;
        }
        Date since = DateFormatter.parseHttpDate(ifModifiedSince);
        Date modified = DateFormatter.parseHttpDate(lastModified);
        return since != null && modified != null && !modified.after(since);
    }

    /** The weak comparison of RFC 9110 section 8.8.3.2, over a list of entity tags or {@code *}. */
    private static boolean anyMatches(String list, String etag) {
        for (String candidate : list.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || opaque(c).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
