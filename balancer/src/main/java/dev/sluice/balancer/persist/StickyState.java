package dev.sluice.balancer.persist;

import dev.sluice.balancer.backend.Server;

/**
 * What the request side of cookie persistence learnt for the response side, for one exchange. One per
 * client connection, made the first time a backend with a {@code cookie} serves it, cleared per request.
 */
public final class StickyState {
    Server direct;
    CookieOutcome outcome = CookieOutcome.NONE;
    /** Dates read from the request's cookie, in epoch seconds; 0 when absent. */
    long firstDate;
    long lastDate;
    boolean post;
    /** False when the request forbids storing the response ({@code Cache-Control: no-store}). */
    boolean requestCacheable;
    /** option persist or force-persist: a down server named by the cookie is used anyway. */
    boolean forced;

    /** The usable server the request's cookie named, or null: that server takes the request. */
    public Server direct() {
        return direct;
    }

    public CookieOutcome outcome() {
        return outcome;
    }

    /**
     * A {@code use-server} rule assigned {@code server}: HAProxy treats it as a direct choice, so the
     * response inserts no cookie for it.
     */
    public void assigned(Server server) {
        direct = server;
    }

    /** Forgets the direct server, e.g. when a failed connect redispatches the request elsewhere. */
    public void redispatched() {
        direct = null;
    }

    void clear() {
        direct = null;
        outcome = CookieOutcome.NONE;
        firstDate = 0;
        lastDate = 0;
        post = false;
        requestCacheable = true;
        forced = false;
    }
}
