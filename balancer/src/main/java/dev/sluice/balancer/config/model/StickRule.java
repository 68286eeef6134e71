package dev.sluice.balancer.config.model;

import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.config.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code stick on|match|store-request PATTERN [table T] [if|unless COND]} line of a backend.
 *
 * @param verb  {@code on}, {@code match} or {@code store-request}
 * @param table {@code table T}; empty means the backend's own table
 */
public record StickRule(SourceLocation location, String verb, SampleExpression key, Optional<String> table,
                        Optional<Condition> condition) {

    public StickRule {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(condition, "condition");
    }

    public boolean matches() {
        return !verb.equals("store-request");
    }

    public boolean stores() {
        return !verb.equals("match");
    }

    public String describe() {
        return "stick " + verb;
    }
}
