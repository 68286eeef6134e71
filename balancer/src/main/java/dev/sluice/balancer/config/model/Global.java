package dev.sluice.balancer.config.model;

import dev.sluice.balancer.runtime.H2Limits;
import java.util.List;
import java.util.Objects;

/**
 * The {@code global} section.
 *
 * @param maxconn   0 when not set
 * @param nbthread  0 when not set (one event loop per CPU)
 * @param daemon    {@code daemon} was written; accepted, but the balancer stays in the foreground
 * @param bufsize   {@code tune.bufsize} in bytes
 * @param maxrewrite {@code tune.maxrewrite} in bytes: room kept for header rewrites
 * @param h2        the {@code tune.h2.*} settings
 * @param logTag    {@code log-tag}: the program name in syslog headers (HAProxy's default "haproxy")
 * @param process   user, pid file, limits, stop deadline, labels ({@link ProcessSettings})
 * @param compressionLevel {@code tune.comp.maxlevel}: the deflate level of compressed responses (1 to 9)
 * @param tuning    tune.http.maxhdr and the socket buffer sizes
 * @param extras    {@code default-path} and {@code zero-warning}
 */
public record Global(int maxconn, int nbthread, boolean daemon, List<LogTarget> logs, int bufsize, int maxrewrite,
                     GlobalStats stats, H2Limits h2, String logTag, ProcessSettings process,
                     int compressionLevel, dev.sluice.balancer.runtime.GlobalTuning tuning, GlobalExtras extras) {

    public static final String DEFAULT_LOG_TAG = "haproxy";

    public static final int DEFAULT_BUFSIZE = 16_384;
    public static final int DEFAULT_MAXREWRITE = 1_024;
    /** Debian's HAProxy 2.6 is built with MAX_THREADS=64; we keep its limit so configs stay portable. */
    public static final int MAX_THREADS = 64;

    public static final Global DEFAULTS = new Global(0, 0, false, List.of(), DEFAULT_BUFSIZE, DEFAULT_MAXREWRITE);

    /** A global section without {@code stats socket}, {@code tune.h2} or {@code log-tag} lines. */
    public Global(int maxconn, int nbthread, boolean daemon, List<LogTarget> logs, int bufsize, int maxrewrite) {
        this(maxconn, nbthread, daemon, logs, bufsize, maxrewrite, GlobalStats.NONE, H2Limits.DEFAULTS,
                DEFAULT_LOG_TAG);
    }

    /** A global section without process settings ({@code user}, {@code pidfile}…). */
    public Global(int maxconn, int nbthread, boolean daemon, List<LogTarget> logs, int bufsize, int maxrewrite,
                  GlobalStats stats, H2Limits h2, String logTag) {
        this(maxconn, nbthread, daemon, logs, bufsize, maxrewrite, stats, h2, logTag, ProcessSettings.DEFAULTS);
    }

    /** A global section without {@code tune.comp.maxlevel}, {@code tune.http.maxhdr} or socket buffer sizes. */
    public Global(int maxconn, int nbthread, boolean daemon, List<LogTarget> logs, int bufsize, int maxrewrite,
                  GlobalStats stats, H2Limits h2, String logTag, ProcessSettings process) {
        this(maxconn, nbthread, daemon, logs, bufsize, maxrewrite, stats, h2, logTag, process,
                dev.sluice.balancer.runtime.CompressionPlan.DEFAULT_LEVEL);
    }

    /** Without {@code tune.http.maxhdr} or socket buffer sizes. */
    public Global(int maxconn, int nbthread, boolean daemon, List<LogTarget> logs, int bufsize, int maxrewrite,
                  GlobalStats stats, H2Limits h2, String logTag, ProcessSettings process, int compressionLevel) {
        this(maxconn, nbthread, daemon, logs, bufsize, maxrewrite, stats, h2, logTag, process, compressionLevel,
                dev.sluice.balancer.runtime.GlobalTuning.DEFAULTS);
    }

    /** Without {@code default-path} or {@code zero-warning}. */
    public Global(int maxconn, int nbthread, boolean daemon, List<LogTarget> logs, int bufsize, int maxrewrite,
                  GlobalStats stats, H2Limits h2, String logTag, ProcessSettings process, int compressionLevel,
                  dev.sluice.balancer.runtime.GlobalTuning tuning) {
        this(maxconn, nbthread, daemon, logs, bufsize, maxrewrite, stats, h2, logTag, process, compressionLevel, tuning,
                GlobalExtras.defaults());
    }

    public Global {
        if (compressionLevel < 1 || compressionLevel > dev.sluice.balancer.runtime.CompressionPlan.MAX_LEVEL) {
            throw new IllegalArgumentException("compressionLevel: " + compressionLevel + " (expected: 1.."
                    + dev.sluice.balancer.runtime.CompressionPlan.MAX_LEVEL + ")");
        }
        if (maxconn < 0) {
            throw new IllegalArgumentException("maxconn: " + maxconn + " (expected: >= 0)");
        }
        if (nbthread < 0 || nbthread > MAX_THREADS) {
            throw new IllegalArgumentException("nbthread: " + nbthread + " (expected: 0.." + MAX_THREADS + ")");
        }
        logs = List.copyOf(logs);
        java.util.Objects.requireNonNull(stats, "stats");
        if (logTag == null || logTag.isEmpty()) {
            throw new IllegalArgumentException("log-tag: '" + logTag + "' (expected: a name)");
        }
        if (bufsize <= 0 || maxrewrite < 0 || maxrewrite >= bufsize) {
            throw new IllegalArgumentException("bufsize/maxrewrite: " + bufsize + "/" + maxrewrite
                    + " (expected: 0 <= maxrewrite < bufsize)");
        }
        Objects.requireNonNull(h2, "h2");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(extras, "extras");
    }
}
