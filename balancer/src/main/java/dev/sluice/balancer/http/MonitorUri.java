package dev.sluice.balancer.http;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.runtime.Monitor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * {@code monitor-uri} and {@code monitor fail}, as HAProxy 2.6 checks them just after the request
 * head is parsed, before any {@code http-request} rule: a request for the URI is answered 200 by
 * the balancer (503 when a {@code monitor fail} condition holds) with the frontend's page for that
 * status ({@code errorfile}/{@code errorloc} may replace it), the connection then closes, and the
 * request is never logged.
 */
final class MonitorUri {
    static final int READY = 200;
    static final int FAILING = 503;

    private static final ByteBuf HEAD_END = io.netty.buffer.Unpooled.unreleasableBuffer(
            io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}).asReadOnly());

    private final Monitor plan;

    MonitorUri(Monitor plan) {
        this.plan = plan;
    }

    /** Whether {@code uri} (the request target as sent) is the monitored one. */
    boolean matches(String uri) {
        String monitored = plan.uri();
        if (monitored == null) {
            return false;
        }
        if (uri.equals(monitored)) {
            return true;
        }
        // A monitor URI starting with '/' also matches the path (and query) of an absolute-form target.
        int start = monitored.charAt(0) == '/' ? pathStart(uri) : -1;
        return start > 0 && uri.length() - start == monitored.length()
                && uri.regionMatches(start, monitored, 0, monitored.length());
    }

    /** 503 when a {@code monitor fail} condition holds for the request, else 200. */
    int status(RequestView request) {
        for (Condition fail : plan.failIf()) {
            if (fail.test(request)) {
                return FAILING;
            }
        }
        return READY;
    }

    /** Where the path of {@code uri} starts: 0 in origin form, after the authority in absolute form, else -1. */
    static int pathStart(String uri) {
        if (uri.startsWith("/")) {
            return 0;
        }
        int scheme = uri.indexOf("://");
        return scheme <= 0 ? -1 : uri.indexOf('/', scheme + 3);
    }

    /** The page without its body, for a HEAD request; takes over {@code page}. */
    static ByteBuf headOnly(ByteBuf page) {
        int end = ByteBufUtil.indexOf(HEAD_END, page);
        if (end < 0) {
            return page;
        }
        return page.readSlice(end - page.readerIndex() + HEAD_END.readableBytes());
    }
}
