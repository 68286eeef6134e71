package dev.sluice.terminator;

import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.server.TerminatorProcess;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Applies hitch's logging options to Log4j: log-level 0 silences everything, 1 keeps warnings
 * and errors, 2 adds info; log-filename sends the log to a file instead of stderr. The summary
 * (start, SIGUSR1, exit) shows at every level but 0.
 */
final class Logs {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXX} %-5level [%t] %c{1}: %msg%n";
    private static final String STDERR_APPENDER = "stderr";

    private Logs() {
    }

    static void apply(TerminatorConfig config) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        LoggerConfig root = configuration.getRootLogger();
        Level level = switch (config.logLevel()) {
            case 0 -> Level.OFF;
            case 1 -> Level.WARN;
            default -> Level.INFO;
        };
        root.setLevel(level);
        LoggerConfig summary = new LoggerConfig(TerminatorProcess.SUMMARY.getName(),
                                                config.logLevel() == 0 ? Level.OFF : Level.INFO, true);
        configuration.addLogger(summary.getName(), summary);
        if (config.logFile() != null) {
            Appender file = FileAppender.newBuilder()
                    .setName("file")
                    .setFileName(config.logFile().toString())
                    .setAppend(true)
                    .setLayout(PatternLayout.newBuilder().setPattern(PATTERN).setConfiguration(configuration).build())
                    .setConfiguration(configuration)
                    .build();
            file.start();
            configuration.addAppender(file);
            root.removeAppender(STDERR_APPENDER);
            root.addAppender(file, null, null);
        }
        context.updateLoggers();
    }
}
