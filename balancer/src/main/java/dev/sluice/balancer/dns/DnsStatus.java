package dev.sluice.balancer.dns;

import dev.sluice.balancer.runtime.ResolversPlan;
import java.time.Duration;

/** The outcome of one resolution, HAProxy's {@code RSLV_STATUS_*}; each failure has its own {@code hold}. */
public enum DnsStatus {
    /** At least one usable record. */
    VALID,
    /** NXDOMAIN: the name does not exist. */
    NX,
    /** The name server refused the query. */
    REFUSED,
    /** No answer within {@code timeout retry}, {@code resolve_retries} times. */
    TIMEOUT,
    /** Anything else: an empty answer, a server failure, a malformed answer. */
    OTHER;

    /** The {@code hold} period of this failure ({@code hold valid} for {@link #VALID}). */
    public Duration hold(ResolversPlan.Hold hold) {
        return switch (this) {
            case VALID -> hold.valid();
            case NX -> hold.nx();
            case REFUSED -> hold.refused();
            case TIMEOUT -> hold.timeout();
            case OTHER -> hold.other();
        };
    }

    /**
     * Whether a server whose last valid answer came at {@code lastValidNanos} loses its address after this
     * failure at {@code nowNanos}: only once no valid answer came within the failure's {@code hold}.
     */
    public boolean expires(long lastValidNanos, long nowNanos, ResolversPlan.Hold hold) {
        return this != VALID && nowNanos - lastValidNanos >= hold(hold).toNanos();
    }
}
