package dev.sluice.balancer.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Date;

/**
 * HAProxy 2.6's rules for what its cache may serve and store (configuration.txt section 6.1, and
 * what 2.6 was seen to do side by side): pure functions over request and response heads.
 */
public final class Cacheability {

    /** The request may be answered from the cache. */
    public static final int LOOKUP = 1;
    /** The response to the request may be stored. */
    public static final int STORE = 2;

    private Cacheability() {
    }

    /**
     * What the cache may do for this request: GET looks up and stores, HEAD only looks up; nothing
     * for other methods, HTTP/1.0 or a request with {@code Authorization}. A request's
     * {@code Cache-Control: no-cache} (or {@code Pragma: no-cache}) skips the lookup but its response
     * is still stored; {@code no-store} keeps its response out.
     */
    public static int request(HttpRequest request) {
        HttpMethod method = request.method();
        boolean get = HttpMethod.GET.equals(method);
        if (!get && !HttpMethod.HEAD.equals(method)) {
            return 0;
        }
        HttpHeaders headers = request.headers();
        if (request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0
                || headers.contains(HttpHeaderNames.AUTHORIZATION)) {
            return 0;
        }
        int flags = get ? LOOKUP | STORE : LOOKUP;
        boolean cacheControl = false;
        for (String value : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            cacheControl = true;
            for (String directive : value.split(",")) {
                String d = directive.trim();
                if (d.equalsIgnoreCase("no-cache")) {
                    flags &= ~LOOKUP;
                } else if (d.equalsIgnoreCase("no-store")) {
                    flags &= ~STORE;
                }
            }
        }
        if (!cacheControl && pragmaNoCache(headers)) {
            flags &= ~LOOKUP;
        }
        return flags;
    }

    /**
     * How many seconds this response stays fresh once stored, or -1 when it may not be stored: only
     * a 200 without {@code no-store}, {@code no-cache} or {@code private}, whose lifetime comes from
     * {@code s-maxage}, {@code max-age} or {@code Expires} (bounded by the section's {@code max-age}),
     * or which has a validator ({@code ETag}, {@code Last-Modified}) and then lives the section's
     * {@code max-age}.
     */
    public static long freshSeconds(HttpResponse response, int maxAgeSeconds) {
        if (response.status().code() != 200) {
            return -1;
        }
        HttpHeaders headers = response.headers();
        long sMaxAge = -1;
        long maxAge = -1;
        boolean cacheControl = false;
        for (String value : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            cacheControl = true;
            for (String directive : value.split(",")) {
                String d = directive.trim().toLowerCase(java.util.Locale.ROOT);
                if (d.equals("no-store") || d.startsWith("no-cache") || d.startsWith("private")) {
                    return -1;
                }
                if (d.startsWith("s-maxage=")) {
                    sMaxAge = seconds(d.substring("s-maxage=".length()));
                } else if (d.startsWith("max-age=")) {
                    maxAge = seconds(d.substring("max-age=".length()));
                }
            }
        }
        if (!cacheControl && pragmaNoCache(headers)) {
            return -1;
        }
        long fresh;
        if (sMaxAge >= 0) {
            fresh = sMaxAge;
        } else if (maxAge >= 0) {
            fresh = maxAge;
        } else if (headers.contains(HttpHeaderNames.EXPIRES)) {
            fresh = expiresIn(headers);
        } else if (headers.contains(HttpHeaderNames.ETAG) || headers.contains(HttpHeaderNames.LAST_MODIFIED)) {
            fresh = maxAgeSeconds;
        } else {
            return -1;
        }
        fresh = Math.min(fresh, maxAgeSeconds);
        return fresh > 0 ? fresh : -1;
    }

    /** The response's own {@code Age}, which a stored object's age starts from (0 when absent or invalid). */
    public static long initialAge(HttpHeaders headers) {
        String age = headers.get(HttpHeaderNames.AGE);
        long seconds = age == null ? -1 : seconds(age.trim());
        return Math.max(seconds, 0);
    }

    private static boolean pragmaNoCache(HttpHeaders headers) {
        for (String value : headers.getAll(HttpHeaderNames.PRAGMA)) {
            if (value.trim().equalsIgnoreCase("no-cache")) {
                return true;
            }
        }
        return false;
    }

    /** {@code Expires} minus {@code Date} (or now), in seconds; an invalid date means already expired. */
    private static long expiresIn(HttpHeaders headers) {
        Date expires = DateFormatter.parseHttpDate(headers.get(HttpHeaderNames.EXPIRES));
        if (expires == null) {
            return 0;
        }
        String dateText = headers.get(HttpHeaderNames.DATE);
        Date date = dateText == null ? null : DateFormatter.parseHttpDate(dateText);
        long from = date != null ? date.getTime() : System.currentTimeMillis();
        return (expires.getTime() - from) / 1000;
    }

    /** A delta-seconds value, or -1 when it is not one; huge values are capped rather than refused. */
    static long seconds(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return text.chars().allMatch(Character::isDigit) && !text.isEmpty() ? Integer.MAX_VALUE : -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}
