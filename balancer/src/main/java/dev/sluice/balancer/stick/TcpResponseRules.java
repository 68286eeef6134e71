package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.acl.Variables;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A backend's {@code tcp-response content} rules over the server's first bytes
 * ({@link RequestView#responsePayload()}), as HAProxy 2.6 runs them: in written order; a rule whose
 * condition is undetermined (a fetch lacks bytes that may still come) stops the evaluation, which
 * runs again from the first rule when more bytes arrive or the delay ends; the first {@code accept},
 * {@code reject}, {@code close} or {@code silent-drop} that applies ends it; {@code set-var} and
 * {@code unset-var} act and go on; with no deciding rule the response is accepted.
 *
 * @param inspectDelay {@code tcp-response inspect-delay}: how long the rules may wait for bytes
 */
public record TcpResponseRules(List<Rule> rules, Duration inspectDelay) {

    public static final TcpResponseRules NONE = new TcpResponseRules(List.of(), Duration.ZERO);

    /** What a rule does when its condition applies. */
    public enum Action {
        ACCEPT, REJECT, CLOSE, SILENT_DROP, SET_VAR, UNSET_VAR
    }

    /** What one evaluation decided. */
    public enum Decision {
        /** Pass the bytes on and relay. */
        ACCEPT,
        /** Close both connections; the client gets nothing more. */
        REJECT,
        /** Pass the held bytes on, then close the server connection (the client's follows). */
        CLOSE,
        /** The client connection vanishes without a reset or FIN, then both close. */
        SILENT_DROP,
        /** Not yet: more bytes or the end of the delay. */
        WAIT
    }

    /**
     * One compiled rule.
     *
     * @param value     what {@code set-var} stores, else null
     * @param variable  the variable of {@code set-var}/{@code unset-var}, else null
     * @param condition the {@code if|unless} condition, or null when the rule always applies
     * @param where     {@code file:line}, for logs
     */
    public record Rule(Action action, SampleExpression value, String variable, Condition condition, String where) {
        public Rule {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(where, "where");
            if (action == Action.SET_VAR) {
                Objects.requireNonNull(value, "value");
            }
            if (action == Action.SET_VAR || action == Action.UNSET_VAR) {
                String error = Variables.checkName(variable);
                if (error != null) {
                    throw new IllegalArgumentException(error);
                }
            }
        }
    }

    public TcpResponseRules {
        rules = List.copyOf(rules);
        Objects.requireNonNull(inspectDelay, "inspectDelay");
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Runs the rules once over what {@code view} holds of the response. */
    public Decision run(RequestView view) {
        for (Rule rule : rules) {
            if (rule.condition() != null) {
                Condition.Outcome outcome = rule.condition().evaluateContent(view, view.responsePayload());
                if (outcome == Condition.Outcome.UNDETERMINED) {
                    return Decision.WAIT;
                }
                if (outcome == Condition.Outcome.SKIPPED) {
                    continue;
                }
            }
            switch (rule.action()) {
                case ACCEPT -> {
                    return Decision.ACCEPT;
                }
                case REJECT -> {
                    return Decision.REJECT;
                }
                case CLOSE -> {
                    return Decision.CLOSE;
                }
                case SILENT_DROP -> {
                    return Decision.SILENT_DROP;
                }
                case SET_VAR, UNSET_VAR -> {
                    Variables vars = view.variables();
                    if (vars != null) {
                        if (rule.action() == Action.SET_VAR) {
                            vars.setFrom(rule.variable(), rule.value(), view);
                        } else {
                            vars.unset(rule.variable());
                        }
                    }
                }
            }
        }
        return Decision.ACCEPT;
    }
}
