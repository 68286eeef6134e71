package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * An {@code acl NAME CRITERION [flags] [operator] [values…]} line, kept as its words: it is compiled
 * with the section's conditions once the whole configuration is known (see
 * {@code dev.sluice.balancer.config.check.Conditions}).
 *
 * @param words the words after {@code acl}, the name first
 */
public record AclLine(SourceLocation location, List<String> words) {

    public AclLine {
        Objects.requireNonNull(location, "location");
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("words: empty (expected: a name and a criterion)");
        }
    }

    public String name() {
        return words.getFirst();
    }
}
