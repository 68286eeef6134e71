package dev.sluice.balancer.config.model;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The timeouts set for one proxy (inherited from its defaults, then its own lines). */
public record Timeouts(Map<TimeoutKind, Duration> values) {

    public static final Timeouts NONE = new Timeouts(Map.of());

    public Timeouts {
        values = Map.copyOf(values);
        for (Map.Entry<TimeoutKind, Duration> entry : values.entrySet()) {
            if (entry.getValue().isNegative()) {
                throw new IllegalArgumentException("timeout " + entry.getKey().keyword() + ": negative");
            }
        }
    }

    public Optional<Duration> get(TimeoutKind kind) {
        return Optional.ofNullable(values.get(kind));
    }

    /** The value, or {@link Duration#ZERO} (HAProxy's "not set"). */
    public Duration orZero(TimeoutKind kind) {
        return values.getOrDefault(kind, Duration.ZERO);
    }

    public Timeouts with(TimeoutKind kind, Duration value) {
        Map<TimeoutKind, Duration> copy = new EnumMap<>(TimeoutKind.class);
        copy.putAll(values);
        copy.put(kind, value);
        return new Timeouts(copy);
    }
}
