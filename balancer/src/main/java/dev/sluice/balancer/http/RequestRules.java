package dev.sluice.balancer.http;

import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.rules.HttpRules;
import dev.sluice.balancer.rules.RuleContext;
import dev.sluice.balancer.rules.Verdict;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.time.Duration;

/**
 * One client connection's side of the HTTP rules: runs the frontend's request rules before the
 * backend is chosen, the backend's after (once for a {@code listen} section), and the response
 * rules (backend's, then frontend's), as HAProxy does. A connection whose frontend and backends
 * have no rules never builds a {@link RuleContext}.
 */
final class RequestRules {
    private final HttpFrontend front;
    private final ConnectionFacts facts;
    private RuleContext context;

    RequestRules(HttpFrontend front, ConnectionFacts facts) {
        this.front = front;
        this.facts = facts;
    }

    RuleContext context() {
        if (context == null) {
            context = new RuleContext(facts, facts::request, front.plan().name());
        }
        return context;
    }

    /** The rule context if any rule ever ran on this connection, else null (nothing named a cache). */
    RuleContext current() {
        return context;
    }

    /** The frontend's request rules; the caller has shown the request to {@code facts}. */
    Verdict frontend(HttpRequest request) {
        HttpRules rules = front.plan().rules();
        if (context != null) {
            context.startRequest(request);
        }
        if (!rules.hasRequestRules()) {
            return Verdict.CONTINUE;
        }
        RuleContext c = context();
        c.startRequest(request);
        return rules.runRequest(c);
    }

    /** The chosen backend's request rules, unless they are the frontend's own (a listen section). */
    Verdict backend(HttpRequest request, Route route) {
        HttpRules rules = route.backend().plan().rules();
        if (!rules.hasRequestRules() || rules == front.plan().rules()) {
            return Verdict.CONTINUE;
        }
        RuleContext c = context();
        if (c.httpRequest() != request) {
            c.startRequest(request);
        }
        c.backend(route.backend().plan().name());
        facts.request(request);
        return rules.runRequest(c);
    }

    /** The response rules, the backend's first; the caller sent {@code request} to {@code serverName}. */
    Verdict response(HttpRequest request, HttpResponse response, Route route, String serverName) {
        HttpRules backendRules = route.backend().plan().rules();
        HttpRules frontendRules = front.plan().rules();
        if (backendRules.response().isEmpty() && frontendRules.response().isEmpty()) {
            return Verdict.CONTINUE;
        }
        RuleContext c = context();
        if (c.httpRequest() != request) {
            c.startRequest(request);
        }
        c.backend(route.backend().plan().name());
        c.server(serverName);
        c.startResponse(response);
        facts.request(request);
        facts.response(response);
        try {
            Verdict verdict = backendRules.response().run(c);
            if (verdict == Verdict.CONTINUE || verdict == Verdict.ALLOW) {
                if (frontendRules != backendRules) {
                    verdict = frontendRules.response().run(c);
                }
            }
            return verdict;
        } finally {
            facts.request(null);
            facts.response(null);
        }
    }

    /**
     * The frontend's response rules alone, over an answer made before a backend took the request (a
     * cache hit of the frontend's {@code cache-use}), as HAProxy runs them on its cache's answers. A
     * final verdict is not acted on: the answer goes out as the rules left it.
     */
    void frontendResponse(HttpRequest request, HttpResponse response) {
        HttpRules rules = front.plan().rules();
        if (rules.response().isEmpty()) {
            return;
        }
        RuleContext c = context();
        c.startResponse(response);
        facts.request(request);
        facts.response(response);
        try {
            rules.response().run(c);
        } finally {
            facts.request(null);
            facts.response(null);
        }
    }

    /** The reply the last final rule chose (the caller sends it), or null. */
    FullHttpResponse reply(ByteBufAllocator alloc) {
        if (context == null) {
            return null;
        }
        // The reply's log-format parts read the request.
        facts.request(context.httpRequest());
        try {
            return context.buildReply(alloc);
        } finally {
            facts.request(null);
        }
    }

    /** How long {@code tarpit} holds the client: {@code timeout tarpit}, else {@code timeout connect}. */
    Duration tarpit(Route route) {
        HttpRules rules = route != null ? route.backend().plan().rules() : front.plan().rules();
        Duration own = rules.tarpit().isZero() ? front.plan().rules().tarpit() : rules.tarpit();
        if (!own.isZero()) {
            return own;
        }
        return route != null ? route.serverTimeouts().connect() : front.plan().timeouts().connect();
    }

    /** {@code http-request disable-l7-retry} ran for the current request. */
    boolean l7RetryDisabled() {
        return context != null && context.l7RetryDisabled();
    }

    /** The request is over: its {@code txn.*} variables go. */
    void endRequest() {
        if (context != null) {
            facts.variables().endTransaction();
        }
    }
}
