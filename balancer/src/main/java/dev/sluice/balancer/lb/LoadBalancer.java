package dev.sluice.balancer.lb;

/**
 * Chooses a server for one request. An instance belongs to one event loop (its round-robin cursors are plain
 * fields) and to one {@link ServerSet}; when the servers change, take a new one from the new set.
 *
 * <p>How to read the result, as HAProxy does:
 * <ul>
 *   <li>{@code null} and {@link ServerSet#hasUsableServer()} false: no server at all (503);</li>
 *   <li>{@code null} otherwise: every eligible server is full, queue the request on the backend;</li>
 *   <li>a server whose {@link ServerLoad#isFull()} is true (hashing algorithms keep their choice): queue the
 *       request on that server;</li>
 *   <li>any other server: use it.</li>
 * </ul>
 */
public interface LoadBalancer {
    /** Chooses a server; never blocks, allocates nothing. */
    Candidate pick(PickContext context);

    /** The snapshot this balancer chooses from. */
    ServerSet servers();
}
