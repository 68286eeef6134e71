package dev.sluice.balancer.persist;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;

/** Reading {@code Cache-Control} directives. */
final class CacheControl {
    private CacheControl() {
    }

    /** True when a {@code Cache-Control} header of {@code headers} carries {@code directive}. */
    static boolean has(HttpHeaders headers, String directive) {
        if (!headers.contains(HttpHeaderNames.CACHE_CONTROL)) {
            return false;
        }
        for (String header : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            for (String part : header.split(",")) {
                if (part.strip().toLowerCase(Locale.ROOT).equals(directive)) {
                    return true;
                }
            }
        }
        return false;
    }
}
