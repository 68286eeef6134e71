package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleSink;
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
        Capture capture = new Capture();
        if (rule.key().evaluate(view, capture)) {
            vars.set(rule.variable(), capture.value);
        }
    }

    /** Keeps a sample in its own type. */
    private static final class Capture implements SampleSink {
        Object value;

        @Override
        public boolean string(CharSequence chars, int from, int to) {
            value = chars.subSequence(from, to).toString();
            return true;
        }

        @Override
        public boolean integer(long number) {
            value = number;
            return true;
        }

        @Override
        public boolean ip(IpAddress address) {
            value = address;
            return true;
        }

        @Override
        public boolean bool(boolean flag) {
            value = flag;
            return true;
        }
    }
}
