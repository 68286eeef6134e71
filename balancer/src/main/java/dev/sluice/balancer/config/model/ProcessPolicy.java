package dev.sluice.balancer.config.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code global} keywords that make the start stricter or the stop slower.
 *
 * @param strictLimits {@code strict-limits}: an open-file limit that cannot be raised to what
 *                     {@code maxconn} needs stops the start. HAProxy 2.6 does so by default; our
 *                     default only warns (as its {@code no strict-limits}), because the shipped
 *                     deploy/etc/balancer.cfg asks for more files than the 20,000 our test
 *                     machines allow and is expected to start there
 * @param grace        {@code grace}: how long a stopping process keeps accepting before it drains
 *                     (so that a health checker in front sees it stop first); zero by default
 */
public record ProcessPolicy(boolean strictLimits, Duration grace) {

    public static final ProcessPolicy DEFAULTS = new ProcessPolicy(false, Duration.ZERO);

    public ProcessPolicy {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace: " + grace + " (expected: >= 0)");
        }
    }
}
