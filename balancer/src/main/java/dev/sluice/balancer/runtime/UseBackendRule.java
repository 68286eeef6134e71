package dev.sluice.balancer.runtime;

import java.util.Objects;

/** {@code use_backend NAME}; conditions arrive with the ACL issue, so today every rule matches. */
public record UseBackendRule(String backend) {
    public UseBackendRule {
        Objects.requireNonNull(backend, "backend");
    }
}
