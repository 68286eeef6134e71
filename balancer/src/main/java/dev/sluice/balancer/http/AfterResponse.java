package dev.sluice.balancer.http;

import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.rules.RuleContext;
import dev.sluice.balancer.rules.RuleSet;
import dev.sluice.balancer.rules.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One client connection's {@code http-after-response} rules: HAProxy 2.6 runs them on every
 * response just before it goes out, a server's as well as the balancer's own (deny, return,
 * redirect, auth, error pages, the stats page): the backend's rules first, then the frontend's
 * (once for a {@code listen} section). An error page is a raw response ({@link ErrorPages}): it
 * is parsed, rewritten and written back only when there are rules to run.
 */
final class AfterResponse {
    private final HttpFrontend front;
    private final ConnectionFacts facts;
    private final RequestRules rules;

    AfterResponse(HttpFrontend front, ConnectionFacts facts, RequestRules rules) {
        this.front = front;
        this.facts = facts;
        this.rules = rules;
    }

    private RuleSet frontendRules() {
        return front.plan().rules().afterResponse();
    }

    /** The backend's rules, or null when no backend was chosen or it is the frontend itself. */
    private RuleSet backendRules(Route route) {
        if (route == null) {
            return null;
        }
        RuleSet own = route.backend().plan().rules().afterResponse();
        return own == frontendRules() || own.isEmpty() ? null : own;
    }

    private boolean none(Route route) {
        return frontendRules().isEmpty() && backendRules(route) == null;
    }

    /**
     * Runs the rules on {@code response} (a server's head or a reply the balancer made) before it is
     * written; {@code request} and {@code route} may be null when the request never got that far.
     */
    void apply(HttpRequest request, HttpResponse response, Route route, CharSequence serverName) {
        if (none(route)) {
            return;
        }
        RuleContext c = rules.context();
        if (c.httpRequest() != request) {
            c.startRequest(request);
        }
        if (route != null) {
            c.backend(route.backend().plan().name());
        }
        c.server(serverName);
        c.startResponse(response);
        facts.request(request);
        facts.response(response);
        try {
            RuleSet backend = backendRules(route);
            Verdict verdict = backend == null ? Verdict.CONTINUE : backend.run(c);
            // allow ends the backend's list only; the frontend's still runs, as in HAProxy.
            if (verdict == Verdict.CONTINUE || verdict == Verdict.ALLOW) {
                frontendRules().run(c);
            }
        } finally {
            facts.request(null);
            facts.response(null);
        }
    }

    /**
     * The refusal page {@code raw} (owned here) after the rules ran on it: the same buffer when there
     * are none, else a new raw response the caller writes.
     */
    ByteBuf page(ByteBuf raw, HttpRequest request, Route route, ByteBufAllocator alloc) {
        if (none(route)) {
            return raw;
        }
        boolean framed = declaresLength(raw);
        FullHttpResponse page = ErrorPageResponse.parse(raw);
        try {
            apply(request, page, route, null);
            if (!framed) {
                // An errorfile without a length is sent as written, ended by the close (as HAProxy does).
                page.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            }
            return serialize(page, alloc);
        } finally {
            page.release();
        }
    }

    /** Whether the raw page's head has a Content-Length line. */
    private static boolean declaresLength(ByteBuf raw) {
        String text = raw.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = (end < 0 ? text : text.substring(0, end)).toLowerCase(java.util.Locale.ROOT);
        return head.contains("\r\ncontent-length:");
    }

    /** HTTP/1.1 wire form of a refusal page; the connection closes after it, as after every refusal. */
    private static ByteBuf serialize(FullHttpResponse page, ByteBufAllocator alloc) {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(page.status().code()).append(' ').append(page.status().reasonPhrase())
                .append("\r\n");
        for (Map.Entry<String, String> header : page.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        head.append("connection: close\r\n\r\n");
        ByteBuf out = alloc.buffer(head.length() + page.content().readableBytes());
        out.writeCharSequence(head, StandardCharsets.ISO_8859_1);
        out.writeBytes(page.content(), page.content().readerIndex(), page.content().readableBytes());
        return out;
    }
}
