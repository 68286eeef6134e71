package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * {@code balance ALGORITHM [ARGS…]} as written, with the settings it compiles to together with the
 * section's {@code hash-type}, {@code hash-balance-factor} and {@code option allbackups}.
 * The location is absent for the implicit {@code roundrobin}.
 *
 * @param settings what the load balancer runs ({@link dev.sluice.balancer.lb.Balance})
 */
public record Balance(SourceLocation location, String algorithm, List<String> args,
                      dev.sluice.balancer.lb.Balance settings) {

    public static final Balance ROUND_ROBIN =
            new Balance(null, "roundrobin", List.of(), dev.sluice.balancer.lb.Balance.ROUND_ROBIN);

    public Balance {
        Objects.requireNonNull(algorithm, "algorithm");
        args = List.copyOf(args);
        Objects.requireNonNull(settings, "settings");
    }

    public Balance withSettings(dev.sluice.balancer.lb.Balance newSettings) {
        return new Balance(location, algorithm, args, newSettings);
    }
}
