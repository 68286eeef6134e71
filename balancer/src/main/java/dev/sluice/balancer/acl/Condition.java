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

    /** A condition's value during TCP content inspection: HAProxy's three-valued ACL result. */
    public enum Outcome {
        /** The rule applies. */
        APPLIES,
        /** The rule does not apply. */
        SKIPPED,
        /** A fetch lacked data that may still come: wait, then evaluate again. */
        UNDETERMINED
    }

    private static final int FAIL = 0;
    private static final int MISS = 1;
    private static final int PASS = 3;

    /**
     * Evaluates with HAProxy's three-valued logic (FAIL 0, MISS 1, PASS 3): an ACL that did not
     * match but whose fetch said "may change" is MISS; {@code !} keeps MISS; AND is the bitwise and,
     * OR the bitwise or, so a PASS or a FAIL that does not depend on the missing data still decides.
     * {@code unless} inverts a decided result only.
     */
    public Outcome evaluateContent(RequestView request) {
        return evaluateContent(request, request.payload());
    }

    /**
     * As {@link #evaluateContent(RequestView)}, over the bytes of {@code payload} (the server's, for
     * {@code tcp-response content} rules): a fetch that marks it "may change" leaves the outcome open.
     */
    public Outcome evaluateContent(RequestView request, Payload payload) {
        int result = FAIL;
        for (Operand[] term : terms) {
            int suite = PASS;
            for (Operand o : term) {
                int acl = o.acl().test(request, payload);
                if (o.negated() && acl != MISS) {
                    acl = acl == PASS ? FAIL : PASS;
                }
                suite &= acl;
                if (suite == FAIL) {
                    break;
                }
            }
            result |= suite;
            if (result == PASS) {
                break;
            }
        }
        if (result == MISS) {
            return Outcome.UNDETERMINED;
        }
        return (result == PASS) != unless ? Outcome.APPLIES : Outcome.SKIPPED;
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
