package dev.sluice.balancer.dispatch;

import dev.sluice.balancer.acl.Condition;
import java.util.Objects;

/** {@code use-server NAME if|unless COND}: the named server of the backend takes a matching request. */
public record UseServerRule(String server, Condition condition) {
    public UseServerRule {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(condition, "condition");
    }
}
