package dev.sluice.balancer.runtime;

/**
 * {@code http-reuse}: which idle server connections a request may take (HAProxy 2.6; the default is
 * {@link #SAFE}). Idle connections are shared by every client connection of the event loop, except those
 * private to one client ({@link #NEVER}, or a connection that carried the client's PROXY header).
 */
public enum HttpReuse {
    /** A server connection serves one client connection only, and closes with it. */
    NEVER("never"),
    /** A client's first request goes on a new connection (or its own); later ones may take any idle one. */
    SAFE("safe"),
    /** As safe, but a first request may take an idle connection that was already reused (proven to last). */
    AGGRESSIVE("aggressive"),
    /** Any request may take any idle connection. */
    ALWAYS("always");

    private final String keyword;

    HttpReuse(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /** The mode named {@code word}, or null. */
    public static HttpReuse of(String word) {
        for (HttpReuse mode : values()) {
            if (mode.keyword.equals(word)) {
                return mode;
            }
        }
        return null;
    }
}
