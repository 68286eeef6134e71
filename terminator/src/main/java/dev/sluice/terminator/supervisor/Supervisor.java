package dev.sluice.terminator.supervisor;

import dev.sluice.common.os.SdNotify;
import dev.sluice.common.os.Signals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs N worker processes and keeps them running: a worker that dies is restarted after a
 * backoff that grows while it keeps crashing, without touching the others. A worker says it is
 * ready by printing {@link #READY_LINE} on its stdout; once all are ready the supervisor tells
 * systemd. Reload and stop are forwarded to every worker as signals.
 */
public final class Supervisor implements AutoCloseable {
    /** What a worker prints on stdout once it listens on every frontend. */
    public static final String READY_LINE = "sluice-worker-ready";

    private static final Logger log = LogManager.getLogger(Supervisor.class);

    private final List<Worker> workers = new ArrayList<>();
    private final WorkerLauncher launcher;
    private final Backoff backoff;
    private final SdNotify notify;
    private final ScheduledExecutorService restarts =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("supervisor").factory());
    private final CountDownLatch allReady;
    private volatile boolean stopping;

    /** Builds the command of one worker. */
    @FunctionalInterface
    public interface WorkerLauncher {
        ProcessBuilder command(WorkerSlot slot);
    }

    /** Worker {@code index} of the fleet, to be pinned to {@code cpu} (-1: not pinned). */
    public record WorkerSlot(int index, int cpu) {
    }

    public Supervisor(List<WorkerSlot> slots, WorkerLauncher launcher, Backoff backoff, SdNotify notify) {
        this.launcher = launcher;
        this.backoff = backoff;
        this.notify = notify;
        this.allReady = new CountDownLatch(slots.size());
        for (WorkerSlot slot : slots) {
            workers.add(new Worker(slot));
        }
    }

    /** Starts every worker; returns at once. */
    public void start() {
        for (Worker worker : workers) {
            launch(worker);
        }
    }

    /** Waits until every worker has reported ready once. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return allReady.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks every worker to reload (SIGHUP). */
    public void reload() {
        notify.reloading();
        for (Worker worker : workers) {
            worker.signal(Signals.Posix.HUP);
        }
        notify.ready(status());
    }

    /** PIDs of the running workers, in slot order (0 where a worker is between restarts). */
    public List<Long> workerPids() {
        return workers.stream().map(Worker::pid).toList();
    }

    /** Stops every worker: SIGTERM, then SIGKILL for those still running after {@code grace}. */
    public void stop(Duration grace) {
        stopping = true;
        notify.stopping();
        restarts.shutdownNow();
        for (Worker worker : workers) {
            worker.signal(Signals.Posix.TERM);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Worker worker : workers) {
            Process process = worker.process;
            if (process == null) {
                continue;
            }
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    log.warn("worker {} (pid {}) still running after {}; killing it", worker.slot.index(), process.pid(), grace);
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private void launch(Worker worker) {
        if (stopping) {
            return;
        }
        ProcessBuilder builder = launcher.command(worker.slot)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = builder.start();
            worker.started(process);
            log.info("worker {} started (pid {}{})", worker.slot.index(), process.pid(),
                     worker.slot.cpu() >= 0 ? ", cpu " + worker.slot.cpu() : "");
            Thread.ofPlatform().daemon().name("worker-" + worker.slot.index() + "-stdout")
                    .start(() -> watchOutput(worker, process));
            process.onExit().thenAccept(exited -> exited(worker, exited));
        } catch (IOException e) {
            log.error("worker {} cannot start: {}", worker.slot.index(), e.getMessage());
            scheduleRestart(worker, "could not start: " + e.getMessage());
        }
    }

    private void watchOutput(Worker worker, Process process) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.equals(READY_LINE)) {
                    worker.ready();
                } else {
                    System.out.println(line);
                }
            }
        } catch (IOException e) {
            // the worker's stdout closed with the worker; its exit is handled in exited()
        }
    }

    private void exited(Worker worker, Process process) {
        if (stopping || worker.process != process) {
            return;
        }
        int status = process.exitValue();
        String cause = status > 128 ? "killed by " + Signals.Posix.describe(status - 128) : "exit status " + status;
        scheduleRestart(worker, cause);
    }

    private void scheduleRestart(Worker worker, String cause) {
        Duration delay = backoff.next(worker.slot.index(), System.nanoTime());
        if (backoff.crashLooping(worker.slot.index())) {
            log.error("worker {} keeps crashing ({}); restarting it in {} while the others keep serving",
                      worker.slot.index(), cause, delay);
        } else {
            log.warn("worker {} died ({}); restarting it in {}", worker.slot.index(), cause, delay);
        }
        notify.status(status());
        restarts.schedule(() -> launch(worker), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String status() {
        long running = workers.stream().filter(w -> w.process != null && w.process.isAlive()).count();
        return running + "/" + workers.size() + " workers running";
    }

    private final class Worker {
        final WorkerSlot slot;
        volatile Process process;
        private boolean everReady;

        Worker(WorkerSlot slot) {
            this.slot = slot;
        }

        void started(Process process) {
            this.process = process;
        }

        long pid() {
            Process current = process;
            return current != null && current.isAlive() ? current.pid() : 0;
        }

        synchronized void ready() {
            log.info("worker {} ready (pid {})", slot.index(), pid());
            if (!everReady) {
                everReady = true;
                allReady.countDown();
                if (allReady.getCount() == 0) {
                    notify.ready(status());
                }
            }
        }

        void signal(Signals.Posix signal) {
            Process current = process;
            if (current != null && current.isAlive()) {
                Signals.send(current.pid(), signal);
            }
        }
    }
}
