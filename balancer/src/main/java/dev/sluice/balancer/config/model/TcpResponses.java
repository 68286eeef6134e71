package dev.sluice.balancer.config.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A backend's {@code tcp-response} lines (never inherited from defaults).
 *
 * @param rules        {@code tcp-response content} lines in file order
 * @param inspectDelay {@code tcp-response inspect-delay}, zero when not set
 */
public record TcpResponses(List<TcpResponseRule> rules, Duration inspectDelay) {

    public static final TcpResponses NONE = new TcpResponses(List.of(), Duration.ZERO);

    public TcpResponses {
        rules = List.copyOf(rules);
        Objects.requireNonNull(inspectDelay, "inspectDelay");
    }
}
