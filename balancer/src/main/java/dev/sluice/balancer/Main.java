package dev.sluice.balancer;

import dev.sluice.balancer.config.Check;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.Diagnostic;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.config.ZeroWarning;
import dev.sluice.common.Runtimes;
import dev.sluice.common.os.SdNotify;
import dev.sluice.common.os.Signals;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of {@code sluice-balancer}; takes HAProxy's command line. It loads and checks the
 * configuration (all files given with {@code -f}, directories included), starts the engine, and
 * serves until SIGTERM or SIGINT. SIGHUP and SIGUSR2 reload: the new configuration is loaded and
 * checked; if valid, it replaces the running one without closing the listeners that stay (see
 * {@link Balancer#reload}); if not, the old one keeps serving and the errors are logged.
 */
@Command(name = "sluice-balancer", versionProvider = Main.Version.class, sortOptions = false,
         description = "HAProxy-style L7/L4 balancer: haproxy's command line and configuration language.")
public final class Main implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_BAD_CONFIG = 1;

    private static final Logger log = LogManager.getLogger(Main.class);

    @Option(names = "-f", paramLabel = "CFG", required = true,
            description = "Configuration file or directory of *.cfg files (repeatable; loaded in order).")
    List<Path> configs = List.of();

    @Option(names = "-c", description = "Check the configuration and exit (0 valid, 1 invalid).")
    boolean check;

    @Option(names = "-db", description = "Stay in the foreground (always the case; accepted for HAProxy compatibility).")
    boolean foreground;

    @Option(names = {"-W", "-Ws"}, description = "Accepted for HAProxy compatibility: there is no master process; "
            + "under systemd use Type=notify, which this process supports itself.")
    boolean masterWorker;

    @Option(names = "-p", paramLabel = "PIDFILE", description = "Write the process ID to this file (wins over "
            + "the configuration's 'pidfile'); removed at a clean stop.")
    Path pidFile;

    @Option(names = "-L", paramLabel = "NAME", description = "The local peer's name in 'peers' sections (wins over "
            + "the global 'localpeer'; default: the host name).")
    String localPeer;

    @Option(names = "-q", description = "Quiet: print nothing on a successful check.")
    boolean quiet;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;

    /** The user switch, pid file and file limit of the running process (set once at start). */
    private ProcessSetup setup;

    public static void main(String[] args) {
        Runtimes.routeNettyLogging();
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("[ALERT] " + e.getMessage());
            e.getCommandLine().getErr().println("Usage: sluice-balancer -f CFG [-f CFG...] [-c] [-db] (see --help)");
            return EXIT_BAD_CONFIG;
        });
        int exit = commandLine.execute(args);
        // Loggers are asynchronous (log4j2.component.properties) and the shutdown hook is off:
        // flush what is queued, access lines included, before the process ends.
        LogManager.shutdown();
        System.exit(exit);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (check) {
            LoadResult loaded = ConfigLoader.load(configs, System.getenv(), localPeer);
            // The file's 'quiet' hides notices here too; -q hides the verdict as well.
            PrintStream err = ProcessSetup.of(loaded, null).quiet() ? quietErr(System.err) : System.err;
            return Check.report(loaded, quiet ? nowhere() : System.out, err);
        }
        // Signals are taken from before the first bind: a reload or stop asked while starting
        // waits in the queue instead of meeting the JVM's default handling.
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        // USR1 is HAProxy's soft stop; ours are all soft (drain up to hard-stop-after or the built-in limit).
        Signals.on(() -> events.add("stop"), "TERM", "INT", "USR1");
        Signals.on(() -> events.add("reload"), "HUP");
        if (Signals.usr2Free()) {
            Signals.on(() -> events.add("reload"), "USR2");
        } else {
            log.warn("SIGUSR2 does not reload: the JVM suspends threads with it (JFR, thread dumps) because "
                    + "_JAVA_SR_SIGNUM is not set; the launchers set it; reload with SIGHUP");
        }
        LoadResult loaded = ConfigLoader.load(configs, System.getenv(), localPeer);
        setup = ProcessSetup.of(loaded, pidFile);
        if (!setup.checkChroot(System.err) || !setup.raiseFileLimit(System.err)) {
            return EXIT_BAD_CONFIG;
        }
        RunningBalancer running = start(loaded, setup.quiet() ? quietErr(System.err) : System.err);
        if (running == null) {
            return EXIT_BAD_CONFIG;
        }
        // Listeners, stats sockets and log targets are open: write the pid file while we may, then give up root.
        if (!setup.writePidFile(System.err) || !setup.dropPrivileges(System.err)) {
            running.close();
            setup.removePidFile();
            return EXIT_BAD_CONFIG;
        }
        SdNotify systemd = SdNotify.fromEnvironment();
        log.info("ready: pid {}, listening on {}", ProcessHandle.current().pid(), running.boundAddresses());
        systemd.ready("listening on " + running.boundAddresses().size() + " address(es)");
        while (!events.take().equals("stop")) {
            systemd.reloading();
            running = reload(running);
            systemd.ready("listening on " + running.boundAddresses().size() + " address(es)");
        }
        systemd.stopping();
        setup.graceBeforeStop();
        log.info("stopping: no new connections; draining {} open connection(s)", running.openConnections());
        running.close();
        setup.removePidFile();
        log.info("stopped");
        return EXIT_OK;
    }

    /** Loads, compiles and starts; prints every diagnostic; null when the configuration is refused. */
    private static RunningBalancer start(LoadResult loaded, PrintStream err) {
        loaded.diagnostics().forEach(err::println);
        if (!loaded.isValid()) {
            err.println("[ALERT] config: Fatal errors found in configuration.");
            return null;
        }
        Compiler.Compilation compilation = Compiler.compile(loaded.config().orElseThrow());
        compilation.warnings().forEach(err::println);
        Diagnostic zeroWarning = ZeroWarning.refusal(loaded.config().orElseThrow().global(), compilation.warnings());
        if (zeroWarning != null) {
            err.println(zeroWarning);
            return null;
        }
        try {
            return Balancer.start(compilation.plan());
        } catch (RuntimeException e) {
            err.println("[ALERT] cannot start: " + e.getMessage());
            return null;
        }
    }

    /**
     * Loads and checks the configuration again; if it is valid, applies it to the running engine
     * (listeners that stay are kept open, see {@link Balancer#reload}); if not, logs every error
     * with its file:line and keeps serving the current one.
     */
    private RunningBalancer reload(RunningBalancer current) {
        log.info("reload: loading {}", configs);
        LoadResult loaded = ConfigLoader.load(configs, System.getenv(), localPeer);
        for (Diagnostic diagnostic : loaded.diagnostics()) {
            if (diagnostic.isFatal()) {
                log.error("reload: {}", diagnostic);
            } else {
                log.warn("reload: {}", diagnostic);
            }
        }
        if (!loaded.isValid()) {
            log.error("reload refused: fatal errors in the configuration; still serving the previous one");
            return current;
        }
        Compiler.Compilation compilation = Compiler.compile(loaded.config().orElseThrow());
        compilation.warnings().forEach(warning -> log.warn("reload: {}", warning));
        try {
            setup.warnIdentityChange(loaded);
            RunningBalancer next = Balancer.reload(current, compilation.plan());
            log.info("reload: done; listening on {}; {} connection(s) of the previous configuration finishing",
                    next.boundAddresses(), next.retiringConnections());
            return next;
        } catch (RuntimeException e) {
            log.error("reload refused: {}{}; still serving the previous configuration", e.getMessage(),
                    setup.bindHint(e));
            return current;
        }
    }

    /** {@code quiet}: what start and -c print, without notices (warnings and alerts stay). */
    private static PrintStream quietErr(PrintStream err) {
        return new PrintStream(err, true) {
            @Override
            public void println(Object line) {
                if (!(line instanceof Diagnostic d && d.severity() == Diagnostic.Severity.NOTICE)) {
                    super.println(line);
                }
            }
        };
    }

    private static PrintStream nowhere() {
        return new PrintStream(PrintStream.nullOutputStream());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sluice-balancer " + Runtimes.version(Main.class, "version.properties")};
        }
    }
}
