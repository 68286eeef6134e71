package dev.sluice.balancer.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A backend's {@code cookie NAME [rewrite|insert|prefix] [indirect] [nocache] [postonly] [preserve]
 * [httponly] [secure] [domain D]… [maxidle T] [maxlife T]} line (HAProxy 2.6 semantics).
 *
 * @param name     the cookie's name; {@link #NONE} has none and means "no cookie persistence"
 * @param mode     what the balancer does to the cookie in responses
 * @param domains  each {@code domain} value, in order (each becomes one {@code ; domain=} attribute)
 * @param maxidle  {@link Duration#ZERO} when not set; otherwise cookies not seen for longer are ignored
 * @param maxlife  {@link Duration#ZERO} when not set; otherwise cookies older than this are ignored
 */
public record CookiePlan(String name, Mode mode, boolean indirect, boolean nocache, boolean postonly,
                         boolean preserve, boolean httponly, boolean secure, List<String> domains,
                         Duration maxidle, Duration maxlife) {

    /** What the balancer does with the persistence cookie in responses. */
    public enum Mode {
        /** No mode word: the application sets the cookie itself; the balancer only reads it. */
        PASSIVE,
        /** {@code insert}: the balancer adds {@code Set-Cookie: NAME=server-cookie}. */
        INSERT,
        /** {@code rewrite}: the server's own {@code Set-Cookie: NAME=…} gets the server's cookie as value. */
        REWRITE,
        /** {@code prefix}: the server's cookie value is prefixed with {@code server-cookie~}. */
        PREFIX
    }

    /** A backend without cookie persistence. */
    public static final CookiePlan NONE = new CookiePlan(null, Mode.PASSIVE, false, false, false, false, false,
            false, List.of(), Duration.ZERO, Duration.ZERO);

    public CookiePlan {
        Objects.requireNonNull(mode, "mode");
        domains = List.copyOf(domains);
        Objects.requireNonNull(maxidle, "maxidle");
        Objects.requireNonNull(maxlife, "maxlife");
        if (name != null && name.isEmpty()) {
            throw new IllegalArgumentException("cookie name: empty (expected: a token)");
        }
        if (maxidle.isNegative() || maxlife.isNegative()) {
            throw new IllegalArgumentException("cookie maxidle/maxlife: negative (expected: >= 0)");
        }
    }

    /** True when the backend persists by cookie at all. */
    public boolean enabled() {
        return name != null;
    }

    /** The {@code insert} form with no other option, for tests and simple plans. */
    public static CookiePlan insert(String name) {
        return new CookiePlan(name, Mode.INSERT, false, false, false, false, false, false, List.of(),
                Duration.ZERO, Duration.ZERO);
    }
}
