package dev.sluice.balancer.config.model;

import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.stick.TcpResponseRules;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code tcp-response content ACTION … [if|unless COND]} line of a backend. The condition is
 * compiled with the section's ACLs after parsing, into {@link Config#conditions()} by location.
 *
 * @param value    the sample {@code set-var(NAME)} stores, else null
 * @param variable the variable of {@code set-var(NAME)} and {@code unset-var(NAME)}, else null
 */
public record TcpResponseRule(SourceLocation location, TcpResponseRules.Action action, SampleExpression value,
                              String variable, Optional<Condition> condition) {

    public TcpResponseRule {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(condition, "condition");
    }

    /** How messages name the rule: {@code tcp-response content reject}. */
    public String describe() {
        String verb = switch (action) {
            case ACCEPT -> "accept";
            case REJECT -> "reject";
            case CLOSE -> "close";
            case SILENT_DROP -> "silent-drop";
            case SET_VAR -> "set-var(" + variable + ")";
            case UNSET_VAR -> "unset-var(" + variable + ")";
        };
        return "tcp-response content " + verb;
    }
}
