package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.LogExtras;

/**
 * {@code unique-id-format}, {@code log-format-sd}, {@code error-log-format} (log-format strings
 * kept as written, compiled once the configuration is read) and {@code unique-id-header}.
 */
final class LogExtraKeywords {
    /** RFC 9110's token characters besides letters and digits: what a header name may contain. */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private LogExtraKeywords() {
    }

    /** A format string; HAProxy 2.6 refuses an empty one ("expects an argument"). */
    static LogExtras.Written format(Line line) throws ConfigException {
        if (line.word(1).isEmpty()) {
            throw new ConfigException("'" + line.word(0) + "' expects an argument");
        }
        return new LogExtras.Written(line.word(1), line.location());
    }

    static String header(Line line) throws ConfigException {
        String name = line.word(1);
        if (name.isEmpty()) {
            throw new ConfigException("'unique-id-header' expects an argument");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c) && TOKEN_SYMBOLS.indexOf(c) < 0 || c > 0x7e) {
                throw new ConfigException("'unique-id-header': '" + name + "' is not a valid header name");
            }
        }
        return name;
    }
}
