package dev.sluice.terminator;

import dev.sluice.common.Runtimes;
import dev.sluice.terminator.cli.CommandLineOptions;
import dev.sluice.terminator.cli.ConfigException;
import dev.sluice.terminator.cli.Configuration;
import dev.sluice.terminator.config.FrontendConfig;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.common.os.Privileges;
import dev.sluice.terminator.server.TerminatorProcess;
import dev.sluice.terminator.server.Watchdog;
import dev.sluice.terminator.tls.TlsContexts;
import dev.sluice.terminator.tls.TlsException;
import dev.sluice.common.os.CpuAffinity;
import dev.sluice.common.os.CpuList;
import dev.sluice.common.os.SdNotify;
import dev.sluice.terminator.supervisor.Fleet;
import dev.sluice.terminator.supervisor.Supervisor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
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

    static int run(String[] allArgs, PrintStream out, PrintStream err) {
        // Process-model options, read before the hitch options: --cpus, and what the supervisor adds.
        List<String> rest = new ArrayList<>(List.of(allArgs));
        String cpus = take(rest, "--cpus=");
        String workerId = take(rest, Fleet.WORKER_ID);
        String workerCpu = take(rest, Fleet.WORKER_CPU);
        String[] args = rest.toArray(String[]::new);
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
        TerminatorProcess.Reread reread = () -> Configuration.load(flags);
        try {
            if (workerId != null) {
                // A worker of a fleet: pinned before its event loop exists, so every thread it starts stays there.
                CpuAffinity.pinProcess(CpuList.parse(workerCpu));
                int index = Integer.parseInt(workerId);
                TerminatorProcess.Reread workerReread = () -> Configuration.load(flags).forWorker(index);
                return TerminatorProcess.run(config.forWorker(index), workerReread, new WorkerLifecycle(out));
            }
            if (config.workers() > 1) {
                if (config.pidFile() != null) {
                    // Signals for the fleet go to the supervisor, which forwards them to every worker.
                    java.nio.file.Files.writeString(config.pidFile(), ProcessHandle.current().pid() + "\n");
                }
                return Fleet.run(config.workers(), cpus == null ? null : CpuList.parse(cpus), config.drainTimeout());
            }
            return TerminatorProcess.run(config, reread, new SystemdLifecycle(SdNotify.fromEnvironment()));
        } catch (CpuAffinity.AffinityException | IllegalArgumentException e) {
            err.println("--cpus: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (java.io.IOException e) {
            err.println("--pid-file: cannot write " + config.pidFile() + ": " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
    }

    /** Removes {@code --name=VALUE} from {@code args} and returns VALUE (the last one wins), or null. */
    private static String take(List<String> args, String prefix) {
        String value = null;
        for (var it = args.iterator(); it.hasNext(); ) {
            String arg = it.next();
            if (arg.startsWith(prefix)) {
                value = arg.substring(prefix.length());
                it.remove();
            }
        }
        return value;
    }

    /** A worker tells its supervisor it is ready on stdout; the supervisor speaks to systemd. */
    private record WorkerLifecycle(PrintStream out) implements TerminatorProcess.Lifecycle {
        @Override
        public void ready(String status) {
            out.println(Supervisor.READY_LINE);
            out.flush();
        }

        @Override
        public void reloading() {
        }

        @Override
        public void stopping() {
        }
    }

    /** A single process (e.g. one systemd unit per CPU) notifies systemd itself. */
    private record SystemdLifecycle(SdNotify systemd) implements TerminatorProcess.Lifecycle {
        @Override
        public void ready(String status) {
            systemd.ready(status);
        }

        @Override
        public void reloading() {
            systemd.reloading();
        }

        @Override
        public void stopping() {
            systemd.stopping();
        }

        @Override
        public Watchdog watchdog(java.util.function.Predicate<java.time.Duration> alive) {
            return Watchdog.start(systemd, alive);
        }
    }

    /** Loads every frontend's certificates and looks up the user and group as a start would. */
    private static void checkRuntime(TerminatorConfig config) throws ConfigException {
        List<String> problems = new ArrayList<>();
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
