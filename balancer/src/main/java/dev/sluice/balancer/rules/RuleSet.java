package dev.sluice.balancer.rules;

import java.util.List;

/** A proxy's rules of one kind, in evaluation order; the first final verdict ends the list. */
public final class RuleSet {

    public static final RuleSet EMPTY = new RuleSet(List.of());

    private final Rule[] rules;

    public RuleSet(List<Rule> rules) {
        this.rules = rules.toArray(new Rule[0]);
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    public int size() {
        return rules.length;
    }

    public Verdict run(RuleContext context) {
        for (Rule rule : rules) {
            Verdict verdict = rule.run(context);
            if (verdict != Verdict.CONTINUE) {
                return verdict;
            }
        }
        return Verdict.CONTINUE;
    }

    public List<Rule> rules() {
        return List.of(rules);
    }
}
