package dev.sluice.balancer.config;

import dev.sluice.balancer.config.model.BackendRef;
import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.config.model.Proxy;

/**
 * A server's {@code minconn}/{@code maxconn} pair and its backend's {@code fullconn}, settled the way HAProxy 2.6
 * settles them after parsing.
 *
 * <ul>
 *   <li>{@code minconn} above {@code maxconn} (or {@code minconn} alone) is a static limit: maxconn becomes
 *       minconn; {@code maxconn} alone means minconn = maxconn (no scaling).</li>
 *   <li>{@code fullconn} not set: 10% of the sum of the {@code maxconn} of every frontend that can send requests
 *       to the backend ({@code default_backend}, {@code use_backend} with a literal name, a {@code listen} section
 *       itself), rounded up, at least 1. A frontend without {@code maxconn} counts with the global
 *       {@code maxconn}; with neither, with {@link #UNSET_GLOBAL_MAXCONN} (HAProxy derives its global limit from
 *       the file-descriptor limit: 9,985 with the 20,000 descriptors our machines allow). {@code use_backend}
 *       with a dynamic name ({@code %[…]}) counts for nothing, as in HAProxy.</li>
 * </ul>
 */
record ServerLimits(int minconn, int maxconn) {

    /** What a frontend counts for when neither it nor the global section sets {@code maxconn}. */
    static final int UNSET_GLOBAL_MAXCONN = 10_000;
    /** HAProxy keeps a tenth of the frontends' sum as the default {@code fullconn}. */
    private static final int FULLCONN_DIVISOR = 10;

    static ServerLimits of(int minconn, int maxconn) {
        if (minconn > maxconn) {
            return new ServerLimits(minconn, minconn);
        }
        return new ServerLimits(minconn == 0 ? maxconn : minconn, maxconn);
    }

    /** The backend's {@code fullconn}: as set, or derived from the frontends as the class comment says. */
    static int fullconn(Proxy backend, Config config) {
        if (backend.fullconn() > 0) {
            return backend.fullconn();
        }
        long total = 0;
        for (Proxy proxy : config.proxies()) {
            if (proxy.isFrontend() && sendsTo(proxy, backend)) {
                total += proxy.maxconn() > 0 ? proxy.maxconn()
                        : config.global().maxconn() > 0 ? config.global().maxconn() : UNSET_GLOBAL_MAXCONN;
            }
        }
        long tenth = (total + FULLCONN_DIVISOR - 1) / FULLCONN_DIVISOR;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, tenth));
    }

    private static boolean sendsTo(Proxy frontend, Proxy backend) {
        if (frontend == backend) {
            return true;
        }
        if (frontend.defaultBackend().map(BackendRef::backend).filter(backend.name()::equals).isPresent()) {
            return true;
        }
        for (BackendRef rule : frontend.useBackends()) {
            if (rule.backend().equals(backend.name())) {
                return true;
            }
        }
        return false;
    }
}
