package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.LogTarget;
import java.util.Set;

/**
 * {@code log TARGET [len N] [format F] [sample R:S] FACILITY [LEVEL [MINLEVEL]]}: checked and stored
 * as written; the visibility issue sends the logs.
 */
final class LogTargets {

    private static final Set<String> FACILITIES = Set.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    private static final Set<String> LEVELS = Set.of("emerg", "alert", "crit", "err", "warning", "notice", "info",
            "debug");
    private static final Set<String> FORMATS = Set.of("local", "rfc3164", "rfc5424", "priority", "short",
            "timed", "iso", "raw");

    private LogTargets() {
    }

    static LogTarget parse(Line line) throws ConfigException {
        int i = 2;
        while (i < line.size() && Set.of("len", "format", "sample").contains(line.word(i))) {
            String option = line.word(i);
            if (i + 1 >= line.size()) {
                throw new ConfigException("'log': '" + option + "' expects an argument");
            }
            if (option.equals("format") && !FORMATS.contains(line.word(i + 1))) {
                throw new ConfigException("'log': unknown log format '" + line.word(i + 1) + "'");
            }
            i += 2;
        }
        if (i >= line.size()) {
            throw new ConfigException("'log' expects <address> and <facility> as arguments");
        }
        if (!FACILITIES.contains(line.word(i))) {
            throw new ConfigException("'log': unknown facility '" + line.word(i) + "'");
        }
        for (int level = i + 1; level < line.size(); level++) {
            if (level > i + 2) {
                throw new ConfigException("'log' cannot handle unexpected argument '" + line.word(level) + "'");
            }
            if (!LEVELS.contains(line.word(level))) {
                throw new ConfigException("'log': unknown optional log level '" + line.word(level) + "'");
            }
        }
        return new LogTarget(line.location(), line.word(1), line.from(2));
    }
}
