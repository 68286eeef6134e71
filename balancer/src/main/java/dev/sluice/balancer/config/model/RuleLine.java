package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * One {@code http-request}, {@code http-response} or {@code redirect} line as written; compiled
 * with its section's ACLs after parsing ({@code config.check.Conditions}) into
 * {@link Config#rules()}.
 *
 * @param keyword the section keyword: {@code http-request}, {@code http-response} or {@code redirect}
 * @param words   the words after the keyword: the action, its arguments, and any condition
 */
public record RuleLine(SourceLocation location, String keyword, List<String> words) {
    public RuleLine {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(keyword, "keyword");
        words = List.copyOf(words);
    }
}
