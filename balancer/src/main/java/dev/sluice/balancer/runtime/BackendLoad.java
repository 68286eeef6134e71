package dev.sluice.balancer.runtime;

import dev.sluice.balancer.acl.SampleExpression;

/**
 * What a backend needs beyond its {@link dev.sluice.balancer.lb.Balance} to spread and limit load: the compiled
 * expression of {@code balance hash EXPR}, and {@code fullconn}, the backend load at which servers with a
 * {@code minconn} reach their {@code maxconn}.
 *
 * @param hashKey  the expression {@code balance hash} hashes; null for every other algorithm
 * @param fullconn HAProxy's {@code fullconn} (set, or computed from the frontends that use the backend); 0 means
 *                 servers always get their {@code maxconn}
 */
public record BackendLoad(SampleExpression hashKey, int fullconn) {

    /** No hash expression, no dynamic limit. */
    public static final BackendLoad NONE = new BackendLoad(null, 0);

    public BackendLoad {
        if (fullconn < 0) {
            throw new IllegalArgumentException("fullconn: " + fullconn + " (expected: >= 0)");
        }
    }
}
