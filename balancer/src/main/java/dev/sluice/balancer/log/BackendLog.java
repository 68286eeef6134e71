package dev.sluice.balancer.log;

import org.apache.logging.log4j.Logger;

/**
 * A backend's own log lines (its servers' state changes, its checks), sent to the backend's
 * {@code log} targets at HAProxy's severities. Events of a backend without targets cost nothing.
 */
public final class BackendLog {
    public static final BackendLog OFF = new BackendLog(BackendLogPlan.NONE);

    private final Logger logger;
    private final boolean healthChecks;

    public BackendLog(BackendLogPlan plan) {
        this.logger = plan.sinks().isEmpty() ? null : AccessLog.register(plan.sinks(), plan.tag());
        this.healthChecks = plan.healthChecks();
    }

    /** True when lines go somewhere. */
    public boolean enabled() {
        return logger != null;
    }

    /** {@code option log-health-checks}: every check that moves the health counter is logged. */
    public boolean healthChecks() {
        return healthChecks && logger != null;
    }

    /** A check's line, or a server coming UP (syslog notice). */
    public void notice(String line) {
        log(SyslogLevels.NOTICE, line);
    }

    /** A server going DOWN (syslog alert). */
    public void alert(String line) {
        log(SyslogLevels.ALERT, line);
    }

    /** The backend has no server left (syslog emerg). */
    public void emergency(String line) {
        log(SyslogLevels.EMERG, line);
    }

    private void log(org.apache.logging.log4j.Level level, String line) {
        if (logger != null) {
            logger.log(level, line);
        }
    }
}
