package dev.sluice.terminator;

import dev.sluice.common.Runtimes;
import dev.sluice.terminator.cli.CommandLineOptions;
import dev.sluice.terminator.cli.ConfigException;
import dev.sluice.terminator.cli.Configuration;
import dev.sluice.terminator.config.FrontendConfig;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.server.Privileges;
import dev.sluice.terminator.server.TerminatorProcess;
import dev.sluice.terminator.tls.TlsContexts;
import dev.sluice.terminator.tls.TlsException;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Entry point of {@code sluice-terminator}: hitch's command line, then one terminator process. */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_BAD_CONFIG = 1;

    private Main() {
    }

    public static void main(String[] args) {
        Runtimes.routeNettyLogging();
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = CommandLineOptions.commandLine(version());
        ParseResult parsed;
        try {
            parsed = CommandLineOptions.parse(commandLine, args);
        } catch (CommandLine.ParameterException e) {
            err.println(e.getMessage());
            err.println("Run sluice-terminator --help for the options.");
            return EXIT_BAD_CONFIG;
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(out);
            return EXIT_OK;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(out);
            return EXIT_OK;
        }
        TerminatorConfig config;
        try {
            config = Configuration.load(parsed);
            if (Configuration.testOnly(parsed)) {
                checkRuntime(config);
                out.println("configuration ok: " + config.frontends().size() + " frontend(s), backend "
                        + config.backend());
                return EXIT_OK;
            }
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return EXIT_BAD_CONFIG;
        }
        Logs.apply(config);
        ParseResult flags = parsed;
        return TerminatorProcess.run(config, () -> Configuration.load(flags));
    }

    /** Loads every frontend's certificates and looks up the user and group as a start would. */
    private static void checkRuntime(TerminatorConfig config) throws ConfigException {
        java.util.List<String> problems = new java.util.ArrayList<>();
        try {
            Privileges.check(config.user(), config.group());
        } catch (Privileges.PrivilegeException e) {
            problems.add("--user/--group: " + e.getMessage());
        }
        for (FrontendConfig frontend : config.frontends()) {
            try {
                TlsContexts.load(frontend.tls()).close();
            } catch (TlsException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream().distinct().toList());
        }
    }

    static String version() {
        return "sluice-terminator " + Runtimes.version(Main.class, "version.properties");
    }
}
