package dev.sluice.balancer.http;

import dev.sluice.balancer.acl.RequestView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;

/**
 * An answer made inside the balancer instead of by a server: the stats page, the Prometheus
 * exporter. It runs on the client's event loop, so it must not block; it reads live figures
 * and renders them.
 */
public interface LocalService {

    /**
     * The complete response to {@code request}.
     *
     * @param body    the request body (empty for most requests); borrowed, not to be released
     * @param view    the request for ACL conditions ({@code stats admin if COND})
     * @param alloc   for the response content; the caller writes (and so releases) the response
     */
    FullHttpResponse answer(HttpRequest request, ByteBuf body, RequestView view, ByteBufAllocator alloc);

    /** The server name the access log shows for this service's answers (HAProxy's applet name). */
    default String logName() {
        return "<STATS>";
    }

    /** Picks the service that answers a request, or none: the frontend's rules and stats pages. */
    interface Selector {
        Selector NONE = (request, view, backend) -> null;

        /**
         * @param backend the name of the backend the request was routed to, or {@code null}
         * @return the service to answer {@code request}, or {@code null} to send it to a server
         */
        LocalService select(HttpRequest request, RequestView view, String backend);
    }
}
