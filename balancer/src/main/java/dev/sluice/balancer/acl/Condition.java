package dev.sluice.balancer.acl;

import java.util.List;

/**
 * A compiled {@code if COND} or {@code unless COND}: an OR of terms, each an AND of possibly negated
 * ACLs, so {@code !} binds tightest and AND binds before OR. Evaluation short-circuits in written
 * order and allocates nothing of its own. Immutable once its scope finished compiling; safe to share
 * between event loops.
 */
public final class Condition {

    /** One ACL reference of a term, possibly negated. */
    record Operand(Acl acl, boolean negated) {
    }

    private final boolean unless;
    private final Operand[][] terms;
    private final String text;

    Condition(boolean unless, List<List<Operand>> terms, String text) {
        this.unless = unless;
        this.terms = terms.stream().map(t -> t.toArray(new Operand[0])).toArray(Operand[][]::new);
        this.text = text;
    }

    /** Whether the rule applies: the condition's value, inverted for {@code unless}. */
    public boolean test(RequestView request) {
        return evaluate(request) != unless;
    }

    private boolean evaluate(RequestView request) {
        for (Operand[] term : terms) {
            boolean all = true;
            for (Operand o : term) {
                if (o.acl().test(request) == o.negated()) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Whether this is an {@code unless} condition. */
    public boolean unless() {
        return unless;
    }

    @Override
    public String toString() {
        return (unless ? "unless " : "if ") + text;
    }
}
