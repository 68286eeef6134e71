package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.SampleExpression;
import java.util.Objects;

/**
 * One compiled {@code tcp-request connection|session|content} rule.
 *
 * @param slot      the stick counter (0..2) of {@code track-scN}, {@code sc-inc-gpcN(N)} and
 *                  {@code sc-set-gpt0(N)}, else -1
 * @param key       the sample tracked by {@code track-scN}, or the value {@code sc-set-gpt0} sets; else null
 * @param table     the table {@code track-scN} names ({@code table T}), or the rule's own proxy's
 * @param condition the {@code if|unless} condition, or null when the rule always applies
 * @param where     {@code file:line}, for logs
 * @param variable  the variable {@code set-var(NAME)} sets (from {@code key}) or {@code unset-var(NAME)}
 *                  removes, checked by {@link dev.sluice.balancer.acl.Variables#checkName}; else null
 */
public record TcpRule(Phase phase, Action action, int slot, SampleExpression key, String table, Condition condition,
                      String where, String variable) {

    /** When a rule runs: at accept, after the PROXY header (the session), or per request. */
    public enum Phase {
        CONNECTION("connection"), SESSION("session"), CONTENT("content");

        private final String keyword;

        Phase(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    public enum Action {
        ACCEPT, REJECT, TRACK, EXPECT_PROXY, INCREMENT_GPC0, INCREMENT_GPC1, SET_GPT0, SILENT_DROP, SET_VAR, UNSET_VAR;

        /** Whether the action works on a tracked stick counter ({@link #slot()} is set). */
        public boolean usesCounter() {
            return this == TRACK || this == INCREMENT_GPC0 || this == INCREMENT_GPC1 || this == SET_GPT0;
        }
    }

    public TcpRule {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(where, "where");
        if (action == Action.TRACK || action == Action.SET_GPT0 || action == Action.SET_VAR) {
            Objects.requireNonNull(key, "key");
        }
        if (action == Action.TRACK) {
            Objects.requireNonNull(table, "table");
        }
        if (action.usesCounter()) {
            if (slot < 0 || slot >= TrackedCounters.SLOTS) {
                throw new IllegalArgumentException("slot: " + slot + " (expected: 0.." + (TrackedCounters.SLOTS - 1) + ")");
            }
        }
        if (action == Action.SET_VAR || action == Action.UNSET_VAR) {
            Objects.requireNonNull(variable, "variable");
            String error = dev.sluice.balancer.acl.Variables.checkName(variable);
            if (error != null) {
                throw new IllegalArgumentException(error);
            }
        }
        if (action == Action.EXPECT_PROXY && phase != Phase.CONNECTION) {
            throw new IllegalArgumentException("expect-proxy: only in tcp-request connection");
        }
    }

    /** A rule that names no variable. */
    public TcpRule(Phase phase, Action action, int slot, SampleExpression key, String table, Condition condition,
                   String where) {
        this(phase, action, slot, key, table, condition, where, null);
    }
}
