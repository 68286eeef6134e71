package dev.sluice.balancer.runtime;

/**
 * The {@code global} settings the engine uses.
 *
 * @param maxconn  connections at once over all frontends; 0 means unlimited
 * @param nbthread event loops; 0 means one per available CPU
 * @param bufsize  {@code tune.bufsize}: the largest request or response head accepted, in bytes
 * @param h2       what an HTTP/2 client connection may use
 * @param process  hard-stop-after and spread-checks ({@link ProcessPlan})
 * @param tuning   tune.http.maxhdr and the socket buffer sizes ({@link GlobalTuning})
 */
public record GlobalPlan(int maxconn, int nbthread, int bufsize, H2Limits h2, ProcessPlan process,
                         GlobalTuning tuning) {

    public static final int DEFAULT_BUFSIZE = 16_384;
    /** Smaller buffers cannot hold an ordinary request head. */
    public static final int MIN_BUFSIZE = 1_024;

    public static final GlobalPlan DEFAULTS = new GlobalPlan(0, 0, DEFAULT_BUFSIZE);

    public GlobalPlan(int maxconn, int nbthread, int bufsize) {
        this(maxconn, nbthread, bufsize, H2Limits.DEFAULTS);
    }

    public GlobalPlan(int maxconn, int nbthread, int bufsize, H2Limits h2) {
        this(maxconn, nbthread, bufsize, h2, ProcessPlan.DEFAULTS);
    }

    /** Without {@link GlobalTuning}: HAProxy's defaults. */
    public GlobalPlan(int maxconn, int nbthread, int bufsize, H2Limits h2, ProcessPlan process) {
        this(maxconn, nbthread, bufsize, h2, process, GlobalTuning.DEFAULTS);
    }

    public GlobalPlan {
        if (maxconn < 0) {
            throw new IllegalArgumentException("maxconn: " + maxconn + " (expected: >= 0)");
        }
        if (nbthread < 0) {
            throw new IllegalArgumentException("nbthread: " + nbthread + " (expected: >= 0)");
        }
        if (bufsize < MIN_BUFSIZE) {
            throw new IllegalArgumentException("tune.bufsize: " + bufsize + " (expected: >= " + MIN_BUFSIZE + ")");
        }
        java.util.Objects.requireNonNull(h2, "h2");
        java.util.Objects.requireNonNull(process, "process");
        java.util.Objects.requireNonNull(tuning, "tuning");
    }

    /** The number of event loops to start. */
    public int threads() {
        return nbthread == 0 ? Runtime.getRuntime().availableProcessors() : nbthread;
    }
}
