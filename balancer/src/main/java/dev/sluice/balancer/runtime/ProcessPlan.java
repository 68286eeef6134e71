package dev.sluice.balancer.runtime;

import java.time.Duration;

/**
 * What the engine takes from the {@code global} process settings (the user switch, pid file and
 * open-file limit are applied by {@code Main} around the start).
 *
 * @param hardStopAfter how long connections of a retired (reload) or stopping configuration may
 *                      stay open before they are closed; null keeps the built-in limits
 * @param spreadChecks  ± this percent of random jitter on every health check interval (0..50)
 * @param node          {@code node}: the name {@code show info} gives (null: the host name)
 * @param description   {@code description}: shown by {@code show info} when set (null: none)
 * @param cpuMap        {@code cpu-map}: the CPUs each event loop is pinned to at start
 */
public record ProcessPlan(Duration hardStopAfter, int spreadChecks, String node, String description,
                          ThreadAffinity cpuMap) {

    public static final int MAX_SPREAD_CHECKS = 50;
    public static final ProcessPlan DEFAULTS = new ProcessPlan(null, 0, null, null);

    public ProcessPlan(Duration hardStopAfter, int spreadChecks, String node, String description) {
        this(hardStopAfter, spreadChecks, node, description, ThreadAffinity.NONE);
    }

    public ProcessPlan(Duration hardStopAfter, int spreadChecks) {
        this(hardStopAfter, spreadChecks, null, null);
    }

    public ProcessPlan {
        java.util.Objects.requireNonNull(cpuMap, "cpuMap");
        if (hardStopAfter != null && hardStopAfter.isNegative()) {
            throw new IllegalArgumentException("hardStopAfter: " + hardStopAfter + " (expected: >= 0)");
        }
        if (spreadChecks < 0 || spreadChecks > MAX_SPREAD_CHECKS) {
            throw new IllegalArgumentException("spreadChecks: " + spreadChecks + " (expected: 0.." + MAX_SPREAD_CHECKS
                    + ")");
        }
    }

    /** The longest connections may stay after a reload or a stop: hard-stop-after, else {@code builtIn}. */
    public long limitMillis(long builtIn) {
        return hardStopAfter == null ? builtIn : hardStopAfter.toMillis();
    }
}
