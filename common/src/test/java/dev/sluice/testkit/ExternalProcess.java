package dev.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real process started by a test: our binaries or a Debian peer (haproxy, hitch, nginx, curl…).
 * Its stdout and stderr go to one log file; {@link #close()} stops it by its PID (TERM, then KILL
 * after a grace period). Tests use it in try-with-resources so every process they start is
 * stopped by them, and {@link #describe()} puts its log into a failure message.
 */
public final class ExternalProcess implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path log;

    private ExternalProcess(String name, List<String> command, Process process, Path log) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with output captured; the caller owns the returned process. */
    public static ExternalProcess start(String name, List<String> command) {
        return start(name, command, Map.of(), null);
    }

    public static ExternalProcess start(String name, List<String> command, Map<String, String> env, Path workDir) {
        try {
            Path log = Files.createTempFile("sluice-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(env);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            return new ExternalProcess(name, List.copyOf(command), builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Runs {@code command} to completion (bounded by {@code timeout}) and returns its result. */
    public static Result run(String name, List<String> command, Duration timeout) {
        try (ExternalProcess process = start(name, command)) {
            int exit = process.awaitExit(timeout);
            return new Result(exit, process.output());
        }
    }

    /** What a finished command printed and its exit status. */
    public record Result(int exit, String output) {
        public Result assertExit(int expected) {
            if (exit != expected) {
                throw new AssertionError("exit " + exit + " (expected " + expected + "), output:\n" + output);
            }
            return this;
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The PIDs of every process this one has started so far (children, grandchildren…). */
    public List<Long> descendantPids() {
        return process.descendants().map(ProcessHandle::pid).toList();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until the process listens on {@code host:port}; fails early if it exits. */
    public ExternalProcess awaitListening(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.accepting(host, port)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue()
                        + " before listening on " + host + ":" + port + "\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not listening on " + host + ":" + port
                        + " within " + timeout + "\n" + describe());
            }
            Ports.sleep(Duration.ofMillis(50));
        }
        return this;
    }

    /** Waits until the log matches {@code regex}; fails early if the process exits first. */
    public ExternalProcess awaitOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pattern.matcher(output()).find()) {
            if (!process.isAlive() && !pattern.matcher(output()).find()) {
                throw new AssertionError(name + " exited before printing /" + regex + "/\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print /" + regex + "/ within " + timeout + "\n" + describe());
            }
            Ports.sleep(Duration.ofMillis(50));
        }
        return this;
    }

    /** Waits for the exit status; kills the process and fails if it runs past {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                // Its children too, found before it dies: a killed script's cleanup never runs, and
                // once orphaned they are no longer its descendants (close() would miss them).
                List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
                process.destroyForcibly();
                for (ProcessHandle child : descendants) {
                    child.destroyForcibly();
                }
                throw new AssertionError(name + " still running after " + timeout + "\n" + describe());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends a signal by PID (e.g. "HUP", "TERM", "KILL"). */
    public void signal(String signal) {
        ExternalProcess.run("kill", List.of("kill", "-" + signal, Long.toString(pid())), Duration.ofSeconds(5))
                .assertExit(0);
    }

    /** Everything the process has printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<log unreadable: " + e + ">";
        }
    }

    /** The command, PID, state and log, for assertion messages. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited " + process.exitValue();
        return "--- " + name + " (pid " + pid() + ", " + state + "): " + String.join(" ", command)
                + "\n" + output() + "--- end of " + name;
    }

    /** Stops the process by its PID: SIGTERM, then SIGKILL after the grace period. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println(name + " ignored SIGTERM; killing\n" + describe());
                    process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        for (ProcessHandle child : descendants) {
            child.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file we could not delete costs nothing
        }
    }
}
