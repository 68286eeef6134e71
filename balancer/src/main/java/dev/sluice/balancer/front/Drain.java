package dev.sluice.balancer.front;

/**
 * The user event a stopping balancer fires into every client connection: finish what is in
 * flight, then close (an idle kept-alive HTTP connection closes at once).
 */
public enum Drain {
    EVENT,
    /**
     * A reload retired this connection's configuration: finish what is in flight and close after
     * the next response (answered with {@code Connection: close}); an idle kept-alive connection
     * is not closed at once, because a request may be on its way, but at that response or its
     * keep-alive timeout, so the client never sees its request dropped.
     */
    RELOAD
}
