package dev.sluice.terminator.server;

import dev.sluice.common.os.Privileges;
import dev.sluice.common.os.Signals;
import dev.sluice.terminator.cli.ConfigException;
import dev.sluice.terminator.config.TerminatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs a terminator as the process's whole life: start, drop privileges, write the pid file,
 * serve until SIGTERM/SIGINT, drain, log the summary, exit 0. SIGUSR1 logs the summary; SIGHUP
 * re-reads the configuration and swaps in new certificates for new connections.
 */
public final class TerminatorProcess {
    private static final Logger log = LogManager.getLogger(TerminatorProcess.class);
    /** The summary logger stays on at every log-level but 0: an operator asked for it. */
    public static final Logger SUMMARY = LogManager.getLogger("dev.sluice.terminator.summary");
    static final int EXIT_OK = 0;
    static final int EXIT_START_FAILED = 1;

    private TerminatorProcess() {
    }

    /** What the process tells its supervisor or systemd at each step of its life. */
    public interface Lifecycle {
        void ready(String status);

        void reloading();

        void stopping();

        /** systemd's watchdog, for a process systemd watches itself; {@code alive} is the liveness probe. */
        default Watchdog watchdog(java.util.function.Predicate<java.time.Duration> alive) {
            return Watchdog.NONE;
        }

        /** A worker says nothing: its supervisor speaks for the fleet. */
        Lifecycle SILENT = new Lifecycle() {
            @Override
            public void ready(String status) {
            }

            @Override
            public void reloading() {
            }

            @Override
            public void stopping() {
            }
        };
    }

    private static void reload(Terminator terminator, Reread reread, Lifecycle lifecycle) {
        lifecycle.reloading();
        List<String> problems;
        try {
            problems = terminator.reload(reread.config());
        } catch (ConfigException e) {
            problems = e.problems();
        }
        if (problems.isEmpty()) {
            SUMMARY.info("reloaded: new connections use the new certificates");
        } else {
            log.error("reload refused, still serving the old configuration:");
            problems.forEach(problem -> log.error("  {}", problem));
        }
        lifecycle.ready(problems.isEmpty() ? "reloaded" : "reload refused; serving the previous configuration");
    }

    /** Reads the configuration again (same file, same flags) for SIGHUP. */
    @FunctionalInterface
    public interface Reread {
        TerminatorConfig config() throws ConfigException;
    }

    public static int run(TerminatorConfig config, Reread reread) {
        return run(config, reread, Lifecycle.SILENT);
    }

    public static int run(TerminatorConfig config, Reread reread, Lifecycle lifecycle) {
        Terminator terminator;
        try {
            terminator = Terminator.start(config);
        } catch (Terminator.StartException e) {
            log.error("cannot start: {}", e.getMessage());
            return EXIT_START_FAILED;
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (terminator) {
            Privileges.drop(config.user(), config.group());
            if (config.pidFile() != null) {
                Files.writeString(config.pidFile(), ProcessHandle.current().pid() + "\n");
            }
            Signals.on(stop::countDown, "TERM", "INT");
            Signals.on(() -> SUMMARY.info("{}", terminator.counters().summary()), "USR1");
            // Reloading reads files: not on the signal thread, not on the event loop.
            ExecutorService reloads = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("reload").factory());
            Signals.on(() -> reloads.execute(() -> reload(terminator, reread, lifecycle)), "HUP");
            SUMMARY.info("ready: pid {}", ProcessHandle.current().pid());
            lifecycle.ready("serving " + config.frontends().size() + " frontend(s)");
            try (Watchdog watchdog = lifecycle.watchdog(terminator::responsive)) {
                stop.await();
            }
            lifecycle.stopping();
            long left = terminator.drain(config.drainTimeout());
            if (left > 0) {
                log.warn("drain timeout ({}) passed with {} connection(s) open; closing them", config.drainTimeout(), left);
            }
            SUMMARY.info("exiting: {}", terminator.counters().summary());
            return EXIT_OK;
        } catch (Privileges.PrivilegeException | IOException e) {
            log.error("cannot start: {}", e.getMessage());
            return EXIT_START_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_OK;
        }
    }
}
