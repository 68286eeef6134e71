package dev.sluice.balancer.rules;

/** One compiled rule action; immutable, shared by every connection of its proxy. */
@FunctionalInterface
public interface Action {
    Verdict apply(RuleContext context);
}
