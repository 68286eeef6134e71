package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.ProcessPolicy;
import dev.sluice.balancer.config.model.ProcessSettings;
import dev.sluice.balancer.runtime.ThreadAffinity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;

/** The process settings of {@code global} while they are read ({@link ProcessKeywords}). */
final class ProcessDraft {
    int uid = ProcessSettings.KEEP_ID;
    int gid = ProcessSettings.KEEP_ID;
    SourceLocation identityAt;
    Path chroot;
    Path pidFile;
    int ulimitN;
    Duration hardStopAfter;
    int spreadChecks;
    String node;
    String description;
    boolean quiet;
    boolean strictLimits;
    Duration grace = Duration.ZERO;
    /** {@code cpu-map}: the process's CPUs and each thread's (1-based), null where unset. */
    BitSet cpuProcess;
    final BitSet[] cpuThreads = new BitSet[ThreadAffinity.MAX_THREADS + 1];

    ProcessSettings build() {
        return new ProcessSettings(uid, gid, identityAt, chroot, pidFile, ulimitN, hardStopAfter, spreadChecks, node,
                description, quiet, new ThreadAffinity(cpuProcess, cpuThreads),
                new ProcessPolicy(strictLimits, grace));
    }
}
