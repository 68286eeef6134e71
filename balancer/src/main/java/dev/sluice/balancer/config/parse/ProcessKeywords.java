package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.ProcessSettings;
import dev.sluice.common.os.Privileges;
import java.nio.file.Path;

/**
 * The {@code global} keywords about the process: {@code user/group/uid/gid} (names are looked up
 * here, so {@code -c} reports an unknown one), {@code chroot}, {@code pidfile}, {@code ulimit-n},
 * {@code hard-stop-after}, {@code spread-checks}, {@code node}, {@code description}, {@code quiet}, {@code cpu-map}.
 */
final class ProcessKeywords {

    /** The largest id a 32-bit uid_t/gid_t holds; -1 itself means "unchanged" to setuid. */
    static final int MAX_ID = Integer.MAX_VALUE;

    private ProcessKeywords() {
    }

    static KeywordTable<GlobalDraft> register(KeywordTable<GlobalDraft> table) {
        return table
                .add("user", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        user(line, global.process, diagnostics, lookUp(line, true)))
                .add("uid", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        user(line, global.process, diagnostics, Units.integer(line.word(1), "'uid'", 0, MAX_ID)))
                .add("group", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        group(line, global.process, diagnostics, lookUp(line, false)))
                .add("gid", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        group(line, global.process, diagnostics, Units.integer(line.word(1), "'gid'", 0, MAX_ID)))
                .add("chroot", 1, 1, Scope.ALL, ProcessKeywords::chroot)
                .add("pidfile", 1, 1, Scope.ALL, ProcessKeywords::pidfile)
                .add("ulimit-n", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        global.process.ulimitN = Units.integer(line.word(1), "'ulimit-n'", 1, Integer.MAX_VALUE))
                .add("hard-stop-after", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        global.process.hardStopAfter = Units.time(line.word(1)))
                .add("spread-checks", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        global.process.spreadChecks = Units.integer(line.word(1), "'spread-checks'", 0,
                                ProcessSettings.MAX_SPREAD_CHECKS))
                .add("node", 1, 1, Scope.ALL, (line, global, diagnostics) -> global.process.node = line.word(1))
                .add("description", 1, Keyword.ANY, Scope.ALL, (line, global, diagnostics) ->
                        global.process.description = String.join(" ", line.args()))
                .add("quiet", 0, 0, Scope.ALL, (line, global, diagnostics) -> global.process.quiet = true)
                .add("cpu-map", 1, Keyword.ANY, Scope.ALL, (line, global, diagnostics) ->
                        CpuMapKeyword.apply(line, global.process));
    }

    private static int lookUp(Line line, boolean user) throws ConfigException {
        try {
            return user ? Privileges.userId(line.word(1)) : Privileges.groupId(line.word(1));
        } catch (Privileges.PrivilegeException e) {
            throw new ConfigException("cannot find " + (user ? "user" : "group") + " id for '" + line.word(1) + "': "
                    + e.getMessage());
        }
    }

    private static void user(Line line, ProcessDraft process, Diagnostics diagnostics, int uid) {
        if (process.uid != ProcessSettings.KEEP_ID) {
            diagnostics.warning(line.location(), "user/uid already specified; '" + line.keyword() + " "
                    + line.word(1) + "' replaces it");
        }
        process.uid = uid;
        process.identityAt = line.location();
    }

    private static void group(Line line, ProcessDraft process, Diagnostics diagnostics, int gid) {
        if (process.gid != ProcessSettings.KEEP_ID) {
            diagnostics.warning(line.location(), "group/gid already specified; '" + line.keyword() + " "
                    + line.word(1) + "' replaces it");
        }
        process.gid = gid;
        process.identityAt = line.location();
    }

    /**
     * Accepted, NOT applied. A JVM cannot run inside an empty directory as HAProxy does: it loads
     * classes from its jars and native libraries (epoll, tcnative) lazily, long after start, and
     * a reload re-reads the configuration, error files and maps by their paths; a chroot would
     * break each of these at the first use, not at start. The systemd unit confines the process
     * instead (deploy/systemd/sluice-balancer.service: ProtectSystem=strict makes the whole file
     * system read-only, ProtectHome, PrivateTmp, PrivateDevices, ProtectProc=invisible, a
     * non-root User= with only CAP_NET_BIND_SERVICE). A missing directory is not checked here:
     * {@code haproxy -c} accepts it and only the real start fails ({@code ProcessSetup.checkChroot}).
     */
    private static void chroot(Line line, GlobalDraft global, Diagnostics diagnostics) {
        Path dir = Path.of(line.word(1));
        global.process.chroot = dir;
        diagnostics.warning(line.location(), "'chroot " + dir + "' accepted but NOT applied: a JVM loads classes "
                + "and native libraries lazily and a reload re-reads files by path, which a chroot would break; "
                + "the systemd unit confines the process instead (ProtectSystem=strict, ProtectHome, PrivateTmp, "
                + "PrivateDevices; see deploy/systemd/sluice-balancer.service)");
    }

    private static void pidfile(Line line, GlobalDraft global, Diagnostics diagnostics) {
        if (global.process.pidFile != null) {
            diagnostics.warning(line.location(), "'pidfile' already specified; '" + line.word(1) + "' replaces it");
        }
        global.process.pidFile = Path.of(line.word(1));
    }
}
