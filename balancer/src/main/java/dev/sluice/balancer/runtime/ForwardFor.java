package dev.sluice.balancer.runtime;

import java.util.Objects;

/**
 * {@code option forwardfor [except NET] [header NAME] [if-none]}: when enabled, every request
 * forwarded to a server gets one more header line {@code NAME: CLIENT-ADDRESS} appended (existing
 * lines are kept, never merged), unless the client address is inside {@code except}, or
 * {@code ifNone} is set and the request already carries the header.
 *
 * @param except  the network whose clients get no header, or {@code null}
 * @param header  the header name, {@code X-Forwarded-For} by default
 */
public record ForwardFor(boolean enabled, IpNetwork except, String header, boolean ifNone) {

    public static final String DEFAULT_HEADER = "X-Forwarded-For";

    /** The option is absent. */
    public static final ForwardFor DISABLED = new ForwardFor(false, null, DEFAULT_HEADER, false);

    /** Plain {@code option forwardfor}. */
    public static final ForwardFor ENABLED = new ForwardFor(true, null, DEFAULT_HEADER, false);

    public ForwardFor {
        Objects.requireNonNull(header, "header");
        if (header.isEmpty() || !header.chars().allMatch(ForwardFor::isTokenChar)) {
            throw new IllegalArgumentException("header: '" + header + "' (expected: an HTTP header name)");
        }
    }

    static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
