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
    static final Level NOTICE = Level.forName("NOTICE", 350);

    static final int SEVERITY_EMERG = 0;
    static final int SEVERITY_ALERT = 1;
    static final int SEVERITY_ERR = 3;
    static final int SEVERITY_WARNING = 4;
    static final int SEVERITY_NOTICE = 5;
    static final int SEVERITY_INFO = 6;

    private SyslogLevels() {
    }

    /** The syslog severity of a Log4j level (the more specific, the more severe). */
    static int severity(Level level) {
        int value = level.intLevel();
        if (value <= EMERG.intLevel()) {
            return SEVERITY_EMERG;
        }
        if (value <= ALERT.intLevel()) {
            return SEVERITY_ALERT;
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
}
