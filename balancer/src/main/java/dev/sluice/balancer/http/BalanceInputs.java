package dev.sluice.balancer.http;

import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.backend.HashKeySink;
import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.lb.PickContext;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.runtime.BackendPlan;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Fills a {@link PickContext} with the part of a request its backend's algorithm hashes, and nothing
 * else: no copy of the URI or of header values (the context keeps references).
 */
final class BalanceInputs {
    private BalanceInputs() {
    }

    /**
     * {@link #fill(PickContext, Balance, HttpRequest, byte[])}, and for {@code balance hash EXPR} the value of the
     * expression over {@code facts} and the request; no value leaves the key unset (round robin).
     */
    static void fill(PickContext context, BackendPlan plan, HttpRequest request, byte[] source, ConnectionFacts facts) {
        fill(context, plan.balance(), request, source);
        SampleExpression key = plan.load().hashKey();
        if (key != null) {
            facts.request(request);
            HashKeySink.fill(context, key, facts);
            facts.request(null);
        }
    }

    /**
     * @param source the client's address bytes (the PROXY source when there is one), or null
     */
    static void fill(PickContext context, Balance balance, HttpRequest request, byte[] source) {
        switch (balance.algorithm()) {
            case Balance.Source s -> context.sourceAddress(source);
            case Balance.Uri u -> context.uri(request.uri());
            case Balance.UrlParam p -> context.uri(request.uri());
            case Balance.Header h -> context.headerValue(firstValue(request.headers().get(h.name())));
            default -> {
                // roundrobin, static-rr, leastconn, first and random read nothing from the request.
            }
        }
    }

    /** HAProxy hashes the first value of a list-valued header (up to the first comma). */
    private static CharSequence firstValue(String value) {
        if (value == null) {
            return null;
        }
        int comma = value.indexOf(',');
        return comma < 0 ? value : value.subSequence(0, comma);
    }
}
