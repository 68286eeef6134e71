package dev.sluice.balancer.log;

import java.util.List;
import java.util.Objects;

/**
 * Where a backend's own events go: HAProxy sends its servers' state changes (and, with {@code
 * option log-health-checks}, every check that moves the health counter) to the backend's {@code
 * log} targets.
 *
 * @param sinks        the backend's {@code log} targets ({@code log global} expanded)
 * @param tag          the syslog program name
 * @param healthChecks {@code option log-health-checks}
 */
public record BackendLogPlan(List<LogSink> sinks, String tag, boolean healthChecks) {
    public static final BackendLogPlan NONE = new BackendLogPlan(List.of(), AccessLogPlan.DEFAULT_TAG, false);

    public BackendLogPlan {
        sinks = List.copyOf(sinks);
        Objects.requireNonNull(tag, "tag");
    }
}
