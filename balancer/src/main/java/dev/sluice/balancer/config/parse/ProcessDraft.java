package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.ProcessSettings;
import java.nio.file.Path;
import java.time.Duration;

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

    ProcessSettings build() {
        return new ProcessSettings(uid, gid, identityAt, chroot, pidFile, ulimitN, hardStopAfter, spreadChecks, node,
                description, quiet);
    }
}
