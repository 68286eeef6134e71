package dev.sluice.balancer.log;

import org.apache.logging.log4j.Level;

/**
 * Syslog severities (RFC 5424) as Log4j levels, for the lines HAProxy sends at severities Log4j
 * does not name: {@link #ALERT} for a server going DOWN, {@link #NOTICE} for checks and servers
 * coming UP. Access lines keep Log4j's INFO and ERROR.
 */
final class SyslogLevels {
    static final Level EMERG = Level.FATAL;
    static final Level ALERT = Level.forName("ALERT", 150);
    static final Level CRIT = Level.forName("CRIT", 175);
    static final Level NOTICE = Level.forName("NOTICE", 350);
    /**
     * Syslog's debug, for {@code set-log-level debug}: just above INFO in Log4j's order, so the
     * access loggers (at INFO) pass it on and the sinks filter it by their own level.
     */
    static final Level SYSLOG_DEBUG = Level.forName("SYSLOG_DEBUG", 399);

    static final int SEVERITY_EMERG = 0;
    static final int SEVERITY_ALERT = 1;
    static final int SEVERITY_CRIT = 2;
    static final int SEVERITY_ERR = 3;
    static final int SEVERITY_WARNING = 4;
    static final int SEVERITY_NOTICE = 5;
    static final int SEVERITY_INFO = 6;
    static final int SEVERITY_DEBUG = 7;

    /** Syslog's severity names, by severity: the words {@code log} lines and {@code set-log-level} take. */
    static final java.util.List<String> NAMES = java.util.List.of("emerg", "alert", "crit", "err", "warning",
            "notice", "info", "debug");
    private static final Level[] BY_SEVERITY = {EMERG, ALERT, CRIT, Level.ERROR, Level.WARN, NOTICE, Level.INFO,
        SYSLOG_DEBUG};

    private SyslogLevels() {
    }

    /** The syslog severity of a Log4j level (the more specific, the more severe). */
    static int severity(Level level) {
        if (level == SYSLOG_DEBUG) {
            return SEVERITY_DEBUG;
        }
        int value = level.intLevel();
        if (value <= EMERG.intLevel()) {
            return SEVERITY_EMERG;
        }
        if (value <= ALERT.intLevel()) {
            return SEVERITY_ALERT;
        }
        if (value <= CRIT.intLevel()) {
            return SEVERITY_CRIT;
        }
        if (value <= Level.ERROR.intLevel()) {
            return SEVERITY_ERR;
        }
        if (value <= Level.WARN.intLevel()) {
            return SEVERITY_WARNING;
        }
        if (value <= NOTICE.intLevel()) {
            return SEVERITY_NOTICE;
        }
        return SEVERITY_INFO;
    }

    /** The Log4j level that carries syslog {@code severity}. */
    static Level level(int severity) {
        return BY_SEVERITY[severity];
    }
}
