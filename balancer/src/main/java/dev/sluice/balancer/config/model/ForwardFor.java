package dev.sluice.balancer.config.model;

import java.util.Objects;
import java.util.Optional;

/** {@code option forwardfor [except NET] [header NAME] [if-none]}. */
public record ForwardFor(Optional<Network> except, String header, boolean ifNone) {

    public static final String DEFAULT_HEADER = "X-Forwarded-For";

    public ForwardFor {
        Objects.requireNonNull(except, "except");
        Objects.requireNonNull(header, "header");
        if (header.isEmpty()) {
            throw new IllegalArgumentException("header: empty (expected: a header name)");
        }
    }
}
