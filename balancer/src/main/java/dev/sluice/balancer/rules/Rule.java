package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.Condition;
import java.util.Objects;

/**
 * One {@code http-request}, {@code http-response} or {@code redirect} line: an action and its
 * optional {@code if|unless} condition.
 *
 * @param where     {@code file:line}, for messages
 * @param condition null when the rule always applies
 */
public record Rule(String where, String text, Condition condition, Action action) {
    public Rule {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(action, "action");
    }

    /** The rule's verdict, {@link Verdict#CONTINUE} when its condition does not hold. */
    public Verdict run(RuleContext context) {
        if (condition != null && !condition.test(context.request())) {
            return Verdict.CONTINUE;
        }
        return action.apply(context);
    }

    @Override
    public String toString() {
        return where + ": " + text;
    }
}
