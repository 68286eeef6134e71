package dev.sluice.balancer.runtime;

import java.util.List;
import java.util.Objects;

/** A frontend's own answers: its stats page and its {@code use-service} rules in file order. */
public record Visibility(StatsPage stats, List<ServiceRule> services) {
    public static final Visibility NONE = new Visibility(StatsPage.DISABLED, List.of());

    public Visibility {
        Objects.requireNonNull(stats, "stats");
        services = List.copyOf(services);
    }
}
