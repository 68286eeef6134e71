package dev.sluice.balancer.runtime;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.RequestView;
import java.util.Objects;

/**
 * {@code http-request use-service NAME [if|unless COND]}: the request is answered by the named
 * service inside the balancer.
 *
 * @param condition compiled, or {@code null} for an unconditional rule
 */
public record ServiceRule(String service, Condition condition) {
    public static final String PROMETHEUS = "prometheus-exporter";

    public ServiceRule {
        Objects.requireNonNull(service, "service");
    }

    public boolean matches(RequestView request) {
        return condition == null || condition.test(request);
    }
}
