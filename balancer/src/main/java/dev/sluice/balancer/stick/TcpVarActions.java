package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.Variables;

/**
 * {@code tcp-request … set-var(NAME) EXPR} and {@code unset-var(NAME)}: the same per-connection
 * {@link Variables} the {@code http-request} rules and the {@code var()} fetch use, so a variable a
 * tcp-request rule sets is read by later ACLs, http-request rules and log formats. A sample that
 * yields nothing leaves the variable as it was, as in HAProxy.
 */
final class TcpVarActions {

    private TcpVarActions() {
    }

    static void apply(TcpRule rule, RequestView view) {
        Variables vars = view.variables();
        if (vars == null) {
            return;
        }
        if (rule.action() == TcpRule.Action.UNSET_VAR) {
            vars.unset(rule.variable());
            return;
        }
        vars.setFrom(rule.variable(), rule.key(), view);
    }
}
