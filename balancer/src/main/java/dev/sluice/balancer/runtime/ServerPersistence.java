package dev.sluice.balancer.runtime;

/**
 * A server's persistence and queueing settings.
 *
 * @param cookie   the server's {@code cookie VALUE}, or null when it has none
 * @param maxqueue requests that may wait for this server; 0 means unlimited
 */
public record ServerPersistence(String cookie, int maxqueue) {

    public static final ServerPersistence NONE = new ServerPersistence(null, 0);

    public ServerPersistence {
        if (cookie != null && cookie.isEmpty()) {
            throw new IllegalArgumentException("cookie: empty (expected: a value)");
        }
        if (maxqueue < 0) {
            throw new IllegalArgumentException("maxqueue " + maxqueue + " (expected: >= 0)");
        }
    }

    public static ServerPersistence cookie(String value) {
        return new ServerPersistence(value, 0);
    }
}
