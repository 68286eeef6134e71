package dev.sluice.balancer.route;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.UseBackendRule;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A frontend's backend choice: the first {@code use_backend} rule whose condition holds, else
 * {@code default_backend} (HAProxy's order). {@code T} is whatever the caller keeps per backend;
 * the rules are resolved to it once, so a choice costs only the conditions' evaluation.
 */
public final class Router<T> {

    private final UseBackendRule[] rules;
    private final Object[] targets;
    private final T fallback;

    /** @param resolve the caller's object for a backend name (the plan guarantees the name exists) */
    public Router(FrontendPlan frontend, Function<String, T> resolve) {
        Objects.requireNonNull(resolve, "resolve");
        List<UseBackendRule> written = frontend.useBackends();
        rules = written.toArray(new UseBackendRule[0]);
        targets = new Object[rules.length];
        for (int i = 0; i < rules.length; i++) {
            targets[i] = Objects.requireNonNull(resolve.apply(rules[i].backend()), rules[i].backend());
        }
        fallback = frontend.defaultBackend() == null ? null : resolve.apply(frontend.defaultBackend());
    }

    /** The chosen backend's object, or {@code null} when no rule matched and there is no default. */
    @SuppressWarnings("unchecked")
    public T choose(RequestView request) {
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(request)) {
                return (T) targets[i];
            }
        }
        return fallback;
    }

    /** Whether some rule has a condition, i.e. the choice depends on the request. */
    public boolean conditional() {
        for (UseBackendRule rule : rules) {
            if (rule.condition() != null) {
                return true;
            }
        }
        return false;
    }
}
