package dev.sluice.balancer.runtime;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.RequestView;
import java.util.Objects;

/**
 * {@code use_backend NAME [if|unless COND]}: a rule without a condition always matches.
 *
 * @param condition   the compiled condition, or {@code null} for an unconditional rule
 * @param dynamicName for {@code use_backend %[…]}: the name, rendered per request; null for a fixed name
 */
public record UseBackendRule(String backend, Condition condition,
                             dev.sluice.balancer.format.FormatString dynamicName) {
    public UseBackendRule {
        Objects.requireNonNull(backend, "backend");
    }

    /** A rule with a fixed backend name. */
    public UseBackendRule(String backend, Condition condition) {
        this(backend, condition, null);
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
