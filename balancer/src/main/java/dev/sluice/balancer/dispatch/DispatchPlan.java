package dev.sluice.balancer.dispatch;

import dev.sluice.balancer.acl.Condition;
import java.util.List;
import java.util.Objects;

/**
 * A backend's dispatch settings beyond {@code retries} and {@code option redispatch}.
 *
 * @param retryOn         {@code retry-on}
 * @param redispatchAfter {@code option redispatch N} (see {@link Redispatch#now}); -1 when written without N
 * @param persist         {@code option persist}: a persistence cookie naming a down server is still honoured
 * @param useServers      {@code use-server} rules in file order
 * @param persistRules    {@code force-persist} and {@code ignore-persist} rules in file order: the first that
 *                        matches decides
 */
public record DispatchPlan(RetryOn retryOn, int redispatchAfter, boolean persist, List<UseServerRule> useServers,
                           List<PersistRule> persistRules) {

    /** HAProxy's defaults: retry on connection failures, redispatch on the last retry, no rules. */
    public static final DispatchPlan DEFAULTS = new DispatchPlan(RetryOn.DEFAULT, -1, false, List.of(), List.of());

    public DispatchPlan {
        Objects.requireNonNull(retryOn, "retryOn");
        useServers = List.copyOf(useServers);
        persistRules = List.copyOf(persistRules);
    }

    /** {@code force-persist} ({@code force} true) or {@code ignore-persist} with its condition. */
    public record PersistRule(boolean force, Condition condition) {
        public PersistRule {
            Objects.requireNonNull(condition, "condition");
        }
    }
}
