package dev.sluice.balancer.config.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A section's HTTP rule lines in file order and its {@code timeout tarpit} (inherited from
 * {@code defaults}; the lines are not).
 */
public record HttpRuleLines(List<RuleLine> lines, Optional<Duration> tarpit) {

    public static final HttpRuleLines NONE = new HttpRuleLines(List.of(), Optional.empty());

    public HttpRuleLines {
        lines = List.copyOf(lines);
        Objects.requireNonNull(tarpit, "tarpit");
    }
}
