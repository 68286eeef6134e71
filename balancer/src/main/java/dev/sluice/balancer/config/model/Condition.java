package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * An {@code if COND} / {@code unless COND} suffix as written; compiled with the section's ACLs after parsing
 * ({@code dev.sluice.balancer.config.check.Conditions}) into {@link Config#conditions()}.
 */
public record Condition(SourceLocation location, boolean negated, List<String> words) {

    public Condition {
        Objects.requireNonNull(location, "location");
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("words: empty (expected: a condition)");
        }
    }

    @Override
    public String toString() {
        return (negated ? "unless " : "if ") + String.join(" ", words);
    }
}
