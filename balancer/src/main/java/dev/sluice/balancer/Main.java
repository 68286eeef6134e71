package dev.sluice.balancer;

import dev.sluice.common.Runtimes;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code sluice-balancer}; takes HAProxy's command line. */
@Command(name = "sluice-balancer", mixinStandardHelpOptions = true,
         versionProvider = Main.Version.class,
         description = "HAProxy-style L7/L4 balancer.")
public final class Main implements Runnable {

    @Option(names = "-f", paramLabel = "CFG", description = "Configuration file or directory (repeatable).")
    List<Path> configs = List.of();

    @Option(names = "-c", description = "Check the configuration and exit (0 valid, 1 invalid).")
    boolean check;

    @Option(names = "-db", description = "Stay in the foreground (always the case; accepted for HAProxy compatibility).")
    boolean foreground;

    public static void main(String[] args) {
        Runtimes.routeNettyLogging();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "not implemented yet");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sluice-balancer " + Runtimes.version(Main.class, "version.properties")};
        }
    }
}
