package dev.sluice.balancer.lb;

/**
 * The live load of one server, read by the algorithms at pick time (membership and weights are fixed in a
 * {@link ServerSet}; load changes with every request, so it is read through this view instead).
 *
 * <p>The engine implements it over its own counters; {@link LoadCounters} is a plain single-threaded one.
 */
public interface ServerLoad {
    /** A server nobody tracks: never loaded, never full. */
    ServerLoad NONE = new ServerLoad() {
        @Override
        public int served() {
            return 0;
        }

        @Override
        public int queued() {
            return 0;
        }

        @Override
        public int maxConnections() {
            return 0;
        }
    };

    /** Requests or connections this server is serving now (HAProxy's {@code served}). */
    int served();

    /** Requests waiting in this server's own queue. */
    int queued();

    /**
     * The connection limit in force now ({@code maxconn}, or the dynamic limit that {@code minconn} and
     * {@code fullconn} give); {@code 0} means unlimited.
     */
    int maxConnections();

    /**
     * Whether a new request must wait: the limit is reached, or others already wait for this server (a newcomer
     * must not overtake them).
     */
    default boolean isFull() {
        int max = maxConnections();
        return max > 0 && (queued() > 0 || served() >= max);
    }
}
