package dev.sluice.balancer.runtime;

import dev.sluice.balancer.acl.Condition;
import java.util.List;
import java.util.Objects;

/**
 * {@code monitor-uri URI} and {@code monitor fail if|unless COND} of a frontend: a request for
 * {@code uri} is answered by the balancer itself (200, or 503 when a fail condition holds) and
 * then the connection closes, as HAProxy does; such requests are never logged.
 *
 * @param uri    the monitored URI, or {@code null} when the frontend has none
 * @param failIf the compiled {@code monitor fail} conditions in file order ({@code unless} already folded in)
 */
public record Monitor(String uri, List<Condition> failIf) {

    public static final Monitor NONE = new Monitor(null, List.of());

    public Monitor {
        failIf = List.copyOf(failIf);
        if (uri != null && uri.isEmpty()) {
            throw new IllegalArgumentException("uri: empty (expected: a URI or null)");
        }
        Objects.requireNonNull(failIf, "failIf");
    }

    public boolean enabled() {
        return uri != null;
    }
}
