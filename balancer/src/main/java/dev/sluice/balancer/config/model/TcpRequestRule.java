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
 * @param slot  0..2 for {@code track-scN}, else -1
 * @param key   the tracked sample for {@code track-scN} (checked when parsed), else null
 * @param table {@code table T} of {@code track-scN}; empty means the proxy's own table
 */
public record TcpRequestRule(SourceLocation location, TcpRule.Phase phase, TcpRule.Action action, int slot,
                             SampleExpression key, Optional<String> table, Optional<Condition> condition) {

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
        };
        return "tcp-request " + phase.keyword() + " " + verb;
    }
}
