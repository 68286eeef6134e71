package dev.sluice.balancer.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@code resolvers NAME} section: the name servers asked (UDP) and HAProxy 2.6's timing.
 *
 * @param acceptedPayloadSize the EDNS0 payload size announced (HAProxy: 512..65535, default 512)
 * @param resolveRetries      queries sent for one resolution before it counts as a timeout
 * @param timeoutResolve      the interval between two resolutions of a name
 * @param timeoutRetry        how long one query waits for its answer before the next try
 * @param hold                how long a valid answer outlives each kind of failure
 */
public record ResolversPlan(String name, List<InetSocketAddress> nameservers, int acceptedPayloadSize,
                            int resolveRetries, Duration timeoutResolve, Duration timeoutRetry, Hold hold) {

    public static final int MIN_PAYLOAD_SIZE = 512;
    public static final int MAX_PAYLOAD_SIZE = 65_535;
    public static final int DEFAULT_RETRIES = 3;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public ResolversPlan {
        Objects.requireNonNull(name, "name");
        nameservers = List.copyOf(nameservers);
        if (acceptedPayloadSize < MIN_PAYLOAD_SIZE || acceptedPayloadSize > MAX_PAYLOAD_SIZE) {
            throw new IllegalArgumentException("accepted_payload_size: " + acceptedPayloadSize + " (expected: "
                    + MIN_PAYLOAD_SIZE + ".." + MAX_PAYLOAD_SIZE + ")");
        }
        if (resolveRetries < 1) {
            throw new IllegalArgumentException("resolve_retries: " + resolveRetries + " (expected: >= 1)");
        }
        requirePositive(timeoutResolve, "timeout resolve");
        requirePositive(timeoutRetry, "timeout retry");
        Objects.requireNonNull(hold, "hold");
    }

    private static void requirePositive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: > 0)");
        }
    }

    /**
     * {@code hold STATUS PERIOD}: after a failed resolution of this kind the server keeps its address
     * while its last valid answer is younger than the period ({@code valid} and {@code obsolete} are about
     * answers: how long a record may be missing from an answer before its server is freed).
     */
    public record Hold(Duration nx, Duration other, Duration refused, Duration timeout, Duration valid,
                       Duration obsolete) {

        /** HAProxy 2.6's defaults. */
        public static final Hold DEFAULTS = new Hold(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO);

        public Hold {
            for (Duration d : new Duration[] {nx, other, refused, timeout, valid, obsolete}) {
                Objects.requireNonNull(d, "hold");
                if (d.isNegative()) {
                    throw new IllegalArgumentException("hold: " + d + " (expected: >= 0)");
                }
            }
        }
    }
}
