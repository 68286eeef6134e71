package dev.sluice.balancer.front;

/**
 * The user event a stopping balancer fires into every client connection: finish what is in
 * flight, then close (an idle kept-alive HTTP connection closes at once).
 */
public enum Drain {
    EVENT
}
