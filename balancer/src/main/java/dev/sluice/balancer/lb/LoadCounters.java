package dev.sluice.balancer.lb;

/**
 * A {@link ServerLoad} over plain fields, for one thread (one event loop) or for tests. Not thread-safe: a
 * server shared by several event loops needs counters that are (for instance one per loop, summed).
 */
public final class LoadCounters implements ServerLoad {
    private int served;
    private int queued;
    private int maxConnections;

    public LoadCounters() {
        this(0);
    }

    /** @param maxConnections the limit, 0 for none */
    public LoadCounters(int maxConnections) {
        setMaxConnections(maxConnections);
    }

    @Override
    public int served() {
        return served;
    }

    @Override
    public int queued() {
        return queued;
    }

    @Override
    public int maxConnections() {
        return maxConnections;
    }

    public LoadCounters setMaxConnections(int maxConnections) {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 0)");
        }
        this.maxConnections = maxConnections;
        return this;
    }

    public LoadCounters setServed(int served) {
        if (served < 0) {
            throw new IllegalArgumentException("served: " + served + " (expected: >= 0)");
        }
        this.served = served;
        return this;
    }

    public LoadCounters setQueued(int queued) {
        if (queued < 0) {
            throw new IllegalArgumentException("queued: " + queued + " (expected: >= 0)");
        }
        this.queued = queued;
        return this;
    }

    /** A request was assigned to this server. */
    public void started() {
        served++;
    }

    /** A request on this server ended. */
    public void ended() {
        if (served == 0) {
            throw new IllegalStateException("ended() without a request in progress");
        }
        served--;
    }
}
