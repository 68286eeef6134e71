package dev.sluice.balancer.backend;

/**
 * HAProxy's dynamic server limit ({@code srv_dynamic_maxconn}): a server with {@code minconn} below its
 * {@code maxconn} accepts {@code max(minconn, maxconn × backend load / fullconn)} requests at once, so a lightly
 * loaded backend keeps its servers at their most efficient concurrency and the limit only reaches
 * {@code maxconn} when the backend holds {@code fullconn} requests.
 *
 * <p>Not applied here: HAProxy also scales this limit down during {@code slowstart}; our slowstart ramps the
 * weight only.
 */
final class DynamicLimit {
    private DynamicLimit() {
    }

    /**
     * @param minconn  the server's {@code minconn} (at most {@code maxconn})
     * @param maxconn  the server's {@code maxconn} now; 0 means unlimited
     * @param load     requests the backend holds now (served and queued)
     * @param fullconn the backend's {@code fullconn}; 0 disables scaling
     * @return the limit in force, 0 for unlimited
     */
    static int of(int minconn, int maxconn, int load, int fullconn) {
        if (maxconn == 0 || fullconn == 0 || load >= fullconn || minconn >= maxconn) {
            return maxconn;
        }
        return (int) Math.max(minconn, (long) load * maxconn / fullconn);
    }
}
