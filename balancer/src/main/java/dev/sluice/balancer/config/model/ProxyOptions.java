package dev.sluice.balancer.config.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code option …} switches of one proxy, after defaults and {@code no option} were applied, and its
 * {@code http-reuse} mode.
 */
public record ProxyOptions(Optional<ForwardFor> forwardFor, ConnectionMode connectionMode, LogFormat logFormat,
                           boolean dontLogNull, boolean redispatch, ProxyTuning tuning,
                           dev.sluice.balancer.runtime.HttpReuse reuse) {

    public static final ProxyOptions DEFAULTS =
            new ProxyOptions(Optional.empty(), ConnectionMode.KEEP_ALIVE, LogFormat.DEFAULT, false, false);

    /** Options without {@link ProxyTuning} settings, with HAProxy's default {@code http-reuse safe}. */
    public ProxyOptions(Optional<ForwardFor> forwardFor, ConnectionMode connectionMode, LogFormat logFormat,
                        boolean dontLogNull, boolean redispatch) {
        this(forwardFor, connectionMode, logFormat, dontLogNull, redispatch, ProxyTuning.DEFAULTS);
    }

    /** Options with HAProxy's default {@code http-reuse safe}. */
    public ProxyOptions(Optional<ForwardFor> forwardFor, ConnectionMode connectionMode, LogFormat logFormat,
                        boolean dontLogNull, boolean redispatch, ProxyTuning tuning) {
        this(forwardFor, connectionMode, logFormat, dontLogNull, redispatch, tuning,
                dev.sluice.balancer.runtime.HttpReuse.SAFE);
    }

    /** Options without {@link ProxyTuning} settings. */
    public ProxyOptions(Optional<ForwardFor> forwardFor, ConnectionMode connectionMode, LogFormat logFormat,
                        boolean dontLogNull, boolean redispatch, dev.sluice.balancer.runtime.HttpReuse reuse) {
        this(forwardFor, connectionMode, logFormat, dontLogNull, redispatch, ProxyTuning.DEFAULTS, reuse);
    }

    public ProxyOptions {
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(forwardFor, "forwardFor");
        Objects.requireNonNull(connectionMode, "connectionMode");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(reuse, "reuse");
    }
}
