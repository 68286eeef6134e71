package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.runtime.ThreadAffinity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code global} settings about the process itself rather than traffic: who it runs as, its
 * pid file, limits, stop deadline, check spreading and labels.
 *
 * @param uid           the user id to switch to after binding ({@code user}/{@code uid}); -1 keeps it
 * @param gid           the group id to switch to ({@code group}/{@code gid}); -1 keeps it
 * @param identityAt    the line of the last {@code user/uid/group/gid}, for the alert when the switch fails
 * @param chroot        {@code chroot DIR}, accepted with a warning but not applied (null: none)
 * @param pidFile       {@code pidfile FILE} (null: none)
 * @param ulimitN       {@code ulimit-n}: the open-file limit to set at start; 0 leaves it
 * @param hardStopAfter {@code hard-stop-after}: how long connections of a retired or stopping
 *                      configuration may stay open (null: the built-in limits)
 * @param spreadChecks  {@code spread-checks}: ± this percent of random jitter on check intervals
 * @param node          {@code node}: a label (null: the host name)
 * @param description   {@code description}: a label (null: none)
 * @param quiet         {@code quiet}: no notices at start
 * @param cpuMap        {@code cpu-map}: the CPUs of each event loop
 * @param policy        {@code strict-limits} and {@code grace}
 */
public record ProcessSettings(int uid, int gid, SourceLocation identityAt, Path chroot, Path pidFile, int ulimitN,
                              Duration hardStopAfter, int spreadChecks, String node, String description,
                              boolean quiet, ThreadAffinity cpuMap, ProcessPolicy policy) {

    public static final int KEEP_ID = -1;
    /** HAProxy refuses spread-checks above 50 %. */
    public static final int MAX_SPREAD_CHECKS = 50;

    public static final ProcessSettings DEFAULTS =
            new ProcessSettings(KEEP_ID, KEEP_ID, null, null, null, 0, null, 0, null, null, false);

    public ProcessSettings(int uid, int gid, SourceLocation identityAt, Path chroot, Path pidFile, int ulimitN,
                           Duration hardStopAfter, int spreadChecks, String node, String description, boolean quiet) {
        this(uid, gid, identityAt, chroot, pidFile, ulimitN, hardStopAfter, spreadChecks, node, description, quiet,
                ThreadAffinity.NONE);
    }

    public ProcessSettings(int uid, int gid, SourceLocation identityAt, Path chroot, Path pidFile, int ulimitN,
                           Duration hardStopAfter, int spreadChecks, String node, String description, boolean quiet,
                           ThreadAffinity cpuMap) {
        this(uid, gid, identityAt, chroot, pidFile, ulimitN, hardStopAfter, spreadChecks, node, description, quiet,
                cpuMap, ProcessPolicy.DEFAULTS);
    }

    public ProcessSettings {
        Objects.requireNonNull(cpuMap, "cpuMap");
        Objects.requireNonNull(policy, "policy");
        if (uid < KEEP_ID || gid < KEEP_ID) {
            throw new IllegalArgumentException("uid/gid: " + uid + "/" + gid + " (expected: >= 0, or -1 to keep)");
        }
        if (ulimitN < 0) {
            throw new IllegalArgumentException("ulimit-n: " + ulimitN + " (expected: >= 0)");
        }
        if (spreadChecks < 0 || spreadChecks > MAX_SPREAD_CHECKS) {
            throw new IllegalArgumentException("spread-checks: " + spreadChecks + " (expected: 0.." + MAX_SPREAD_CHECKS
                    + ")");
        }
        if (hardStopAfter != null && hardStopAfter.isNegative()) {
            throw new IllegalArgumentException("hard-stop-after: " + hardStopAfter + " (expected: >= 0)");
        }
        if ((uid != KEEP_ID || gid != KEEP_ID) && identityAt == null) {
            throw new IllegalArgumentException("identityAt: null with uid/gid " + uid + "/" + gid);
        }
    }

    /** Whether a user or group switch is asked for. */
    public boolean dropsPrivileges() {
        return uid != KEEP_ID || gid != KEEP_ID;
    }

    /** Same settings, another pid file (the command line's {@code -p} wins over the file's). */
    public ProcessSettings withPidFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new ProcessSettings(uid, gid, identityAt, chroot, file, ulimitN, hardStopAfter, spreadChecks, node,
                description, quiet, cpuMap, policy);
    }
}
