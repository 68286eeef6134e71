package dev.sluice.balancer.runtime;

/**
 * {@code option http-restrict-req-hdr-names}: what happens to request headers whose name has a
 * character other than a letter, a digit or '-' (an underscore, a dot…), which some servers
 * treat as the same as a dash. Applied after each proxy's {@code http-request} rules, the
 * frontend's then the backend's, as HAProxy 2.6 does.
 */
public enum HeaderNamePolicy {
    /** Forwarded as they are (HAProxy's default). */
    PRESERVE,
    /** Removed from the request. */
    DELETE,
    /** The request is refused with 403. */
    REJECT
}
