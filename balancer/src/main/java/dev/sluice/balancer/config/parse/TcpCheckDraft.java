package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.check.TcpCheck;
import dev.sluice.balancer.check.TcpCheckRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code option tcp-check} (or a protocol check option) and the {@code tcp-check} lines while a section is
 * read. A proxy starts with its defaults' rules; its own first {@code tcp-check} line replaces them.
 */
final class TcpCheckDraft {
    /** Which option enabled the checks; null when none did (or {@code option httpchk} came later). */
    TcpCheck.Kind kind;
    /** The protocol check's fixed rules (for the kinds other than TCP). */
    List<TcpCheckRule> protocolRules = List.of();
    /** The {@code tcp-check} lines in order; a comment line is held as null rule with its text. */
    final List<Entry> entries = new ArrayList<>();
    boolean inherited;

    /** One {@code tcp-check} line: a rule, or a {@code comment} line (rule null). */
    record Entry(TcpCheckRule rule, String comment) {
    }

    TcpCheckDraft copy() {
        TcpCheckDraft copy = new TcpCheckDraft();
        copy.kind = kind;
        copy.protocolRules = protocolRules;
        copy.entries.addAll(entries);
        copy.inherited = true;
        return copy;
    }

    /** The step number the next {@code tcp-check} line gets (HAProxy counts comment lines too). */
    int nextStep() {
        ownRules();
        return entries.size() + 1;
    }

    /** Whether a rule other than a comment was configured in this proxy. */
    boolean hasRules() {
        return !inherited && entries.stream().anyMatch(e -> e.rule() != null);
    }

    void add(TcpCheckRule rule) {
        ownRules();
        entries.add(new Entry(rule, ""));
    }

    void comment(String text) {
        ownRules();
        entries.add(new Entry(null, text));
    }

    private void ownRules() {
        if (inherited) {
            entries.clear();
            inherited = false;
        }
    }

    Optional<TcpCheck> build() {
        if (kind == null) {
            return Optional.empty();
        }
        if (kind != TcpCheck.Kind.TCP) {
            return Optional.of(new TcpCheck(kind, protocolRules));
        }
        return Optional.of(new TcpCheck(kind, withComments()));
    }

    /**
     * As HAProxy: a {@code comment} line gives its text to the rules after it that have none, as long as
     * they are of one kind (a comment before two sends names both; the expect after them gets none).
     */
    private List<TcpCheckRule> withComments() {
        List<TcpCheckRule> rules = new ArrayList<>();
        String comment = null;
        Class<?> previous = null;
        for (Entry entry : entries) {
            TcpCheckRule rule = entry.rule();
            if (rule == null) {
                comment = entry.comment();
                previous = null;
                continue;
            }
            if (previous != null && previous != rule.getClass()) {
                comment = null;
            }
            previous = rule.getClass();
            if (comment != null && rule.comment().isEmpty()) {
                rule = TcpCheckKeywords.withComment(rule, comment);
            }
            if (rule instanceof TcpCheckRule.Connect) {
                comment = null;
            }
            rules.add(rule);
        }
        return rules;
    }
}
