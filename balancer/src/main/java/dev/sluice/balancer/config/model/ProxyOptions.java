package dev.sluice.balancer.config.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code option …} switches of one proxy, after defaults and {@code no option} were applied, and its
 * {@code http-reuse} mode.
 */
public record ProxyOptions(Optional<ForwardFor> forwardFor, ConnectionMode connectionMode, LogFormat logFormat,
                           boolean dontLogNull, boolean redispatch,
                           dev.sluice.balancer.runtime.HttpReuse reuse) {

    public static final ProxyOptions DEFAULTS =
            new ProxyOptions(Optional.empty(), ConnectionMode.KEEP_ALIVE, LogFormat.DEFAULT, false, false);

    /** Options with HAProxy's default {@code http-reuse safe}. */
    public ProxyOptions(Optional<ForwardFor> forwardFor, ConnectionMode connectionMode, LogFormat logFormat,
                        boolean dontLogNull, boolean redispatch) {
        this(forwardFor, connectionMode, logFormat, dontLogNull, redispatch, dev.sluice.balancer.runtime.HttpReuse.SAFE);
    }

    public ProxyOptions {
        Objects.requireNonNull(forwardFor, "forwardFor");
        Objects.requireNonNull(connectionMode, "connectionMode");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(reuse, "reuse");
    }
}
