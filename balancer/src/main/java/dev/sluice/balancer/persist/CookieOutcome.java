package dev.sluice.balancer.persist;

/** What the request's persistence cookie meant (HAProxy's {@code TX_CK_*} states), for logs and tests. */
public enum CookieOutcome {
    /** The request carried no persistence cookie. */
    NONE,
    /** It named a usable server, which takes the request. */
    VALID,
    /** It named a server that is not usable: the request is balanced (redispatched). */
    DOWN,
    /** It named no server: the request is balanced. */
    INVALID,
    /** {@code maxidle} passed since its last date: ignored. */
    EXPIRED,
    /** {@code maxlife} passed since its first date: ignored. */
    OLD,
    /** A second persistence cookie in the same request: not looked at. */
    UNUSED
}
