package dev.sluice.terminator;

import dev.sluice.common.Runtimes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code sluice-terminator}; takes hitch's command line. */
@Command(name = "sluice-terminator", mixinStandardHelpOptions = true,
         versionProvider = Main.Version.class,
         description = "TLS terminator that forwards plaintext with PROXY headers (hitch-compatible).")
public final class Main implements Runnable {

    @Option(names = "--test", description = "Validate the configuration and exit.")
    boolean test;

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
            return new String[] {"sluice-terminator " + Runtimes.version(Main.class, "version.properties")};
        }
    }
}
