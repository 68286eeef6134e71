package dev.sluice.terminator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * hitch's command line, built from the same {@link Key} table as the config file: every key is a
 * {@code --key=VALUE} flag (booleans as {@code --key[=on|off]}), with hitch's short letters, plus
 * {@code --config}, {@code --test}, {@code --help}, {@code --version} and PEM file arguments.
 * Parsing yields {@link Setting}s whose origin is the flag, for {@link ConfigBuilder}.
 */
public final class CommandLineOptions {
    static final String CONFIG = "--config";
    static final String TEST = "--test";
    static final String PEM_ARGUMENT = "PEM";

    /** hitch's one-letter options. */
    private static final Map<String, String> SHORT = Map.ofEntries(
            Map.entry("ciphers", "-c"), Map.entry("ssl-engine", "-e"), Map.entry("prefer-server-ciphers", "-O"),
            Map.entry("backend", "-b"), Map.entry("frontend", "-f"), Map.entry("workers", "-n"),
            Map.entry("backlog", "-B"), Map.entry("keepalive", "-k"), Map.entry("backend-refresh", "-R"),
            Map.entry("chroot", "-r"), Map.entry("user", "-u"), Map.entry("group", "-g"), Map.entry("quiet", "-q"),
            Map.entry("log-level", "-L"), Map.entry("log-filename", "-l"), Map.entry("syslog", "-s"),
            Map.entry("pidfile", "-p"));

    private CommandLineOptions() {
    }

    /** The picocli model; {@code version} is printed by --version. */
    public static CommandSpec spec(String version) {
        CommandSpec spec = CommandSpec.create()
                .name("sluice-terminator")
                .version(version)
                .mixinStandardHelpOptions(true);
        spec.usageMessage()
                .description("TLS terminator that forwards plaintext with PROXY headers (hitch-compatible).",
                             "Every option is also a key in the --config file; flags override the file.")
                .sortOptions(false);
        spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(String.class)
                .description("Load configuration from FILE (hitch.conf syntax).").build());
        spec.addOption(OptionSpec.builder(TEST, "-t").arity("0")
                .description("Check the configuration and the certificates, then exit (0: good, 1: bad).").build());
        for (Key key : Key.values()) {
            if (key.scope() == Key.Scope.FRONTEND || key.scope() == Key.Scope.PEM) {
                continue;
            }
            spec.addOption(option(key.configName(), key.shape(), key.label(), key.description(), false));
        }
        for (Unsupported option : Unsupported.values()) {
            Key.Shape shape = option.booleanOption() ? Key.Shape.BOOLEAN : Key.Shape.SCALAR;
            spec.addOption(option(option.configName(), shape, "VALUE", "not supported", true));
        }
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel(PEM_ARGUMENT)
                .type(List.class).auxiliaryTypes(String.class)
                .description("Key and certificate files (same as --pem-file).").build());
        return spec;
    }

    private static OptionSpec option(String name, Key.Shape shape, String label, String description, boolean hidden) {
        String[] names = SHORT.containsKey(name) ? new String[] {"--" + name, SHORT.get(name)} : new String[] {"--" + name};
        OptionSpec.Builder builder = OptionSpec.builder(names).description(description).hidden(hidden);
        return switch (shape) {
            // normalize() has given every switch its value by the time picocli parses.
            case BOOLEAN -> builder.arity("1").paramLabel("on|off").type(String.class).build();
            case REPEATED_OR_BLOCK -> builder.paramLabel(label).type(List.class).auxiliaryTypes(String.class).build();
            case SCALAR -> builder.paramLabel(label).type(String.class).build();
        };
    }

    /** The settings given as flags and PEM arguments, in command-line order. */
    public static List<Setting> settings(ParseResult result) {
        List<Setting> settings = new ArrayList<>();
        // picocli lists a repeated option once per occurrence; its values hold every occurrence.
        for (OptionSpec option : new java.util.LinkedHashSet<>(result.matchedOptions())) {
            String longName = option.longestName();
            if (!longName.startsWith("--") || CONFIG.equals(longName) || TEST.equals(longName)
                    || option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String key = longName.substring(2);
            Origin origin = Origin.flag(longName);
            for (String value : option.stringValues()) {
                settings.add(Setting.of(key, value, origin));
            }
        }
        for (PositionalParamSpec positional : result.matchedPositionals()) {
            for (String value : positional.stringValues()) {
                settings.add(Setting.of(Key.PEM_FILE.configName(), value, Origin.flag(PEM_ARGUMENT + " argument")));
            }
        }
        return settings;
    }

    private static final java.util.Set<String> ON_OFF_WORDS =
            java.util.Set.of("on", "off", "yes", "no", "y", "n", "true", "false", "t", "f", "1", "0");

    /**
     * Gives every bare switch its value, as hitch's {@code --switch[=on|off]}: the next argument
     * only when it is an on/off word ({@code --write-proxy-v2 off}), otherwise "on", so that
     * {@code --write-proxy-v2 cert.pem} leaves the PEM argument alone.
     */
    static String[] normalize(CommandSpec spec, String[] args) {
        List<String> out = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            OptionSpec option = spec.findOption(arg);
            boolean bareSwitch = option != null && "on|off".equals(option.paramLabel()) && !arg.contains("=");
            if (!bareSwitch) {
                out.add(arg);
            } else if (i + 1 < args.length && ON_OFF_WORDS.contains(args[i + 1].toLowerCase(java.util.Locale.ROOT))) {
                out.add(arg + "=" + args[++i]);
            } else {
                out.add(arg + "=on");
            }
        }
        return out.toArray(String[]::new);
    }

    public static CommandLine commandLine(String version) {
        return new CommandLine(spec(version));
    }

    /** Parses hitch's command line (switches normalized first). */
    public static ParseResult parse(CommandLine commandLine, String... args) {
        return commandLine.parseArgs(normalize(commandLine.getCommandSpec(), args));
    }
}
