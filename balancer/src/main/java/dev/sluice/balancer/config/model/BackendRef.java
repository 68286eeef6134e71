package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/** {@code default_backend NAME} (no condition) or {@code use_backend NAME [if|unless COND]}. */
public record BackendRef(SourceLocation location, String backend, Optional<Condition> condition) {

    public BackendRef {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(condition, "condition");
    }
}
