package dev.sluice.balancer.runtime;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.RequestView;
import java.util.Objects;

/**
 * {@code use_backend NAME [if|unless COND]}: a rule without a condition always matches.
 *
 * @param condition the compiled condition, or {@code null} for an unconditional rule
 */
public record UseBackendRule(String backend, Condition condition) {
    public UseBackendRule {
        Objects.requireNonNull(backend, "backend");
    }

    /** An unconditional rule. */
    public UseBackendRule(String backend) {
        this(backend, null);
    }

    /** Whether this rule sends {@code request} to its backend. */
    public boolean matches(RequestView request) {
        return condition == null || condition.test(request);
    }
}
