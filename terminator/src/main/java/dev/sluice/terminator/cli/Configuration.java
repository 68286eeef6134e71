package dev.sluice.terminator.cli;

import dev.sluice.terminator.config.TerminatorConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ParseResult;

/** Builds the configuration from a parsed command line: the --config file first, then the flags. */
public final class Configuration {
    private Configuration() {
    }

    public static TerminatorConfig load(ParseResult commandLine) throws ConfigException {
        ConfigBuilder builder = new ConfigBuilder();
        String file = commandLine.matchedOptionValue(CommandLineOptions.CONFIG, null);
        if (file != null) {
            builder.apply(HitchConfParser.parse(Path.of(file)), ConfigBuilder.Layer.FILE);
        }
        List<Setting> flags = CommandLineOptions.settings(commandLine);
        return builder.apply(flags, ConfigBuilder.Layer.FLAGS).build();
    }

    public static boolean testOnly(ParseResult commandLine) {
        return commandLine.hasMatchedOption(CommandLineOptions.TEST);
    }
}
