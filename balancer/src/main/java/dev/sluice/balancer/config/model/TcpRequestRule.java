package dev.sluice.balancer.config.model;

import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.stick.TcpRule;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code tcp-request connection|session|content ACTION … [if|unless COND]} line. The condition is
 * compiled with the section's ACLs after parsing, into {@link Config#conditions()} by location.
 *
 * @param slot  the stick counter (0..2) of {@code track-scN}, {@code sc-inc-gpcN} and
 *              {@code sc-set-gpt0}, else -1
 * @param key   the tracked sample for {@code track-scN}, or {@code sc-set-gpt0}'s value (checked when
 *              parsed), else null
 * @param table {@code table T} of {@code track-scN}; empty means the proxy's own table
 * @param variable the variable of {@code set-var(NAME)} and {@code unset-var(NAME)}, else null
 */
public record TcpRequestRule(SourceLocation location, TcpRule.Phase phase, TcpRule.Action action, int slot,
                             SampleExpression key, Optional<String> table, Optional<Condition> condition,
                             String variable) {

    /** A rule that names no variable. */
    public TcpRequestRule(SourceLocation location, TcpRule.Phase phase, TcpRule.Action action, int slot,
                          SampleExpression key, Optional<String> table, Optional<Condition> condition) {
        this(location, phase, action, slot, key, table, condition, null);
    }

    public TcpRequestRule {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(condition, "condition");
    }

    /** How messages name the rule: {@code tcp-request connection track-sc0}. */
    public String describe() {
        String verb = switch (action) {
            case ACCEPT -> "accept";
            case REJECT -> "reject";
            case TRACK -> "track-sc" + slot;
            case EXPECT_PROXY -> "expect-proxy layer4";
            case INCREMENT_GPC0 -> "sc-inc-gpc0(" + slot + ")";
            case INCREMENT_GPC1 -> "sc-inc-gpc1(" + slot + ")";
            case SET_GPT0 -> "sc-set-gpt0(" + slot + ")";
            case SILENT_DROP -> "silent-drop";
            case SET_VAR -> "set-var(" + variable + ")";
            case UNSET_VAR -> "unset-var(" + variable + ")";
        };
        return "tcp-request " + phase.keyword() + " " + verb;
    }
}
