package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * {@code balance ALGORITHM [ARGS…]}, stored as written; the balancing issue compiles it.
 * The location is absent for the implicit {@code roundrobin}.
 */
public record Balance(SourceLocation location, String algorithm, List<String> args) {

    public static final Balance ROUND_ROBIN = new Balance(null, "roundrobin", List.of());

    public Balance {
        Objects.requireNonNull(algorithm, "algorithm");
        args = List.copyOf(args);
    }
}
