package dev.sluice.balancer.rules;

/** What a rule decided: go on with the next rule, or stop the rule list (the last four end the request here). */
public enum Verdict {
    /** Not final: the next rule runs. */
    CONTINUE,
    /** {@code allow}: stop evaluating this list; the request (or response) goes on. */
    ALLOW,
    /** {@code deny}: answer with {@link RuleContext#reply()} and close the client connection. */
    DENY,
    /** {@code tarpit}: wait {@code timeout tarpit}, then answer with {@link RuleContext#reply()} and close. */
    TARPIT,
    /** {@code return} or {@code redirect}: answer with {@link RuleContext#reply()}; the connection may stay. */
    REPLY,
    /** {@code silent-drop}: the client connection vanishes without an answer ({@code SilentDrop}). */
    SILENT_DROP;

    /** Whether the exchange ends here, answered by the rule or dropped. */
    public boolean endsExchange() {
        return this == DENY || this == TARPIT || this == REPLY || this == SILENT_DROP;
    }
}
