package dev.sluice.balancer;

import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.config.model.ProcessSettings;
import dev.sluice.common.os.OpenFileLimit;
import dev.sluice.common.os.Privileges;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The process steps HAProxy takes around binding, in its order: raise the open-file limit
 * ({@code ulimit-n}) before anything opens, and once every listener, stats socket and log target
 * is open, write the pid file and switch to {@code user}/{@code group}. A step that fails stops
 * the start with an alert, as HAProxy exits then. After the switch a reload can still do what
 * the user may: a new port below 1024 cannot be bound and the reload is refused with that
 * reason while the running configuration keeps serving.
 */
final class ProcessSetup {
    private static final Logger log = LogManager.getLogger(ProcessSetup.class);
    /** Ports below this need root (or CAP_NET_BIND_SERVICE) to bind. */
    private static final int FIRST_UNPRIVILEGED_PORT = 1_024;

    /**
     * File descriptors kept beyond two per {@code maxconn} connection (client and server side) for
     * listeners, checks, logs and the JVM's own files, when the limit is derived from maxconn.
     */
    static final int RESERVED_FILES = 20;

    private final ProcessSettings settings;
    private final int maxconn;
    private final Path pidFile;
    private boolean pidFileWritten;
    private boolean dropped;

    private ProcessSetup(ProcessSettings settings, int maxconn, Path pidFile) {
        this.settings = settings;
        this.maxconn = maxconn;
        this.pidFile = pidFile;
    }

    /** The settings of a loaded configuration (defaults when it is refused); {@code -p} wins over {@code pidfile}. */
    static ProcessSetup of(LoadResult loaded, Path commandLinePidFile) {
        ProcessSettings settings = loaded.config().map(c -> c.global().process()).orElse(ProcessSettings.DEFAULTS);
        int maxconn = loaded.config().map(c -> c.global().maxconn()).orElse(0);
        return new ProcessSetup(settings, maxconn, commandLinePidFile != null ? commandLinePidFile : settings.pidFile());
    }

    boolean quiet() {
        return settings.quiet();
    }

    /**
     * {@code chroot}: not applied (see ProcessKeywords), but a directory that does not exist
     * stops the start as it stops HAProxy's (its {@code -c} accepts it, and so does ours).
     */
    boolean checkChroot(PrintStream err) {
        if (settings.chroot() == null || Files.isDirectory(settings.chroot())) {
            return true;
        }
        err.println("[ALERT] cannot chroot(" + settings.chroot() + "): no such directory");
        return false;
    }

    /**
     * {@code ulimit-n}: false (after an alert on {@code err}) when the limit cannot be set. Without
     * it, a {@code maxconn} whose connections need more files than the limit allows raises the
     * limit as HAProxy does; when that is impossible it stops with {@code strict-limits}, and
     * otherwise warns and runs (HAProxy 2.6 stops by default: see ProcessPolicy).
     */
    boolean raiseFileLimit(PrintStream err) {
        if (settings.ulimitN() == 0) {
            return maxconn == 0 || raiseForMaxconn(err);
        }
        try {
            OpenFileLimit.set(settings.ulimitN());
            return true;
        } catch (OpenFileLimit.LimitException e) {
            err.println("[ALERT] 'ulimit-n " + settings.ulimitN() + "': " + e.getMessage());
            return false;
        }
    }

    private boolean raiseForMaxconn(PrintStream err) {
        long needed = 2L * maxconn + RESERVED_FILES;
        try {
            long[] now = OpenFileLimit.current();
            if (now[0] >= needed) {
                return true;
            }
            if (needed <= now[1]) {
                OpenFileLimit.set(needed);
                return true;
            }
            String message = "cannot raise the open-file limit to " + needed + " for 'maxconn " + maxconn
                    + "', the hard limit is " + now[1];
            if (settings.policy().strictLimits()) {
                err.println("[ALERT] " + message + " (raise the hard limit, lower 'maxconn', or set "
                        + "'no strict-limits')");
                return false;
            }
            err.println("[WARNING] " + message + "; connections beyond it will be refused");
            return true;
        } catch (OpenFileLimit.LimitException e) {
            err.println((settings.policy().strictLimits() ? "[ALERT] " : "[WARNING] ") + e.getMessage());
            return !settings.policy().strictLimits();
        }
    }

    /**
     * {@code grace}: a stopping process keeps serving this long before it closes its listeners,
     * so that a health checker in front sees it go first (HAProxy's delay between the signal and
     * the soft stop).
     */
    void graceBeforeStop() throws InterruptedException {
        java.time.Duration grace = settings.policy().grace();
        if (!grace.isZero()) {
            log.info("stopping after the grace period of {} ms", grace.toMillis());
            Thread.sleep(grace);
        }
    }

    boolean writePidFile(PrintStream err) {
        if (pidFile == null) {
            return true;
        }
        try {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            pidFileWritten = true;
            return true;
        } catch (IOException e) {
            err.println("[ALERT] cannot write the pid file '" + pidFile + "': " + e.getMessage());
            return false;
        }
    }

    /** Removes the pid file this process wrote; after a user switch the directory may forbid it. */
    void removePidFile() {
        if (!pidFileWritten) {
            return;
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // After a user switch the directory is usually root's: HAProxy leaves its pid file there too.
            log.warn("cannot remove the pid file {}: {}{}", pidFile, e.getClass().getSimpleName(),
                    dropped ? " (the process no longer runs as root)" : "");
        }
    }

    /** {@code user/group/uid/gid}: false (after an alert naming the line) when the switch fails. */
    boolean dropPrivileges(PrintStream err) {
        if (!settings.dropsPrivileges()) {
            return true;
        }
        try {
            Privileges.drop(new Privileges.Identity(settings.uid(), settings.gid()));
            dropped = true;
            log.info("switched to uid {} gid {}", settings.uid(), settings.gid());
            return true;
        } catch (Privileges.PrivilegeException e) {
            err.println("[ALERT] " + settings.identityAt() + ": " + e.getMessage());
            return false;
        }
    }

    /** A reload cannot switch user again: the change waits for a restart. */
    void warnIdentityChange(LoadResult loaded) {
        ProcessSettings next = loaded.config().orElseThrow().global().process();
        if (dropped && (next.uid() != settings.uid() || next.gid() != settings.gid())) {
            log.warn("reload: user/group changes need a restart; still running as uid {} gid {}",
                    settings.uid(), settings.gid());
        }
    }

    /** Why a reload's bind failed, when the user switch is the likely cause; else empty. */
    String bindHint(RuntimeException failure) {
        String message = String.valueOf(failure.getMessage());
        boolean denied = message.contains("Permission denied") || message.contains("EACCES")
                || failure.getCause() instanceof java.nio.file.AccessDeniedException;
        if (dropped && denied) {
            return " (the process gave up root at start (uid " + settings.uid() + "): ports below "
                    + FIRST_UNPRIVILEGED_PORT + " and root-owned paths need a restart to bind)";
        }
        return "";
    }
}
