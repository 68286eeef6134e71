package dev.sluice.common.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * How a relay ends besides both directions finishing.
 *
 * @param idle                 close both after this long without a byte either way; zero: never
 * @param clientFin            once the client connection is half-closed by us (the backend sent its FIN),
 *                             the idle limit becomes this if shorter (HAProxy's {@code timeout client-fin});
 *                             zero: unchanged
 * @param backendFin           the same once we half-close the backend connection because the client sent
 *                             its FIN ({@code timeout server-fin})
 * @param backendEndClosesBoth the backend's FIN closes both connections once what it sent is delivered,
 *                             as hitch does, instead of half-closing
 * @param onIdleTimeout        told, on the event loop, just before an idle timeout closes both; may be null
 */
public record RelayPolicy(Duration idle, Duration clientFin, Duration backendFin, boolean backendEndClosesBoth,
                          Runnable onIdleTimeout) {

    public RelayPolicy {
        for (Duration d : new Duration[] {idle, clientFin, backendFin}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative()) {
                throw new IllegalArgumentException("timeout: " + d + " (expected: >= 0)");
            }
        }
    }

    /** An idle limit only, half-closing both ways. */
    public static RelayPolicy idle(Duration idle) {
        return new RelayPolicy(idle, Duration.ZERO, Duration.ZERO, false, null);
    }
}
