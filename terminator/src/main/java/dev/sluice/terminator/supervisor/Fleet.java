package dev.sluice.terminator.supervisor;

import dev.sluice.common.os.CpuAffinity;
import dev.sluice.common.os.CpuList;
import dev.sluice.common.os.CpuTopology;
import dev.sluice.common.os.SdNotify;
import dev.sluice.common.os.Signals;
import dev.sluice.terminator.server.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code --workers=N} with N above one: this process becomes the supervisor of N workers, each a
 * copy of this very command line with {@code --worker-id} and {@code --worker-cpu} added. Workers
 * fill the CPUs that share an L2 cache first ({@link CpuTopology}); {@code --cpus} narrows the set.
 */
public final class Fleet {
    /** Added to a worker's command line: its index in the fleet. */
    public static final String WORKER_ID = "--worker-id=";
    /** Added to a worker's command line: the CPU it pins itself to. */
    public static final String WORKER_CPU = "--worker-cpu=";
    /** Time a worker gets beyond its drain timeout before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Logger log = LogManager.getLogger(Fleet.class);

    private Fleet() {
    }

    /** Runs the fleet until SIGTERM/SIGINT; returns the exit status. */
    public static int run(int workers, BitSet cpus, Duration drainTimeout) throws CpuAffinity.AffinityException {
        BitSet allowed = cpus != null ? cpus : CpuAffinity.allowed();
        List<Integer> order = CpuTopology.read().placementOrder(allowed);
        if (workers > order.size()) {
            log.warn("{} workers on {} CPU(s) ({}): some CPUs run two workers", workers, order.size(),
                     CpuList.format(allowed));
        }
        List<Supervisor.WorkerSlot> slots = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            slots.add(new Supervisor.WorkerSlot(i, order.get(i % order.size())));
        }
        List<String> self = selfCommand();
        SdNotify systemd = SdNotify.fromEnvironment();
        Supervisor supervisor = new Supervisor(slots, slot -> workerProcess(self, slot), Backoff.standard(), systemd);
        CountDownLatch stop = new CountDownLatch(1);
        Signals.on(stop::countDown, "TERM", "INT");
        Signals.on(supervisor::reload, "HUP");
        Signals.on(() -> supervisor.workerPids().forEach(pid -> {
            if (pid != 0) {
                Signals.send(pid, Signals.Posix.USR1);
            }
        }), "USR1");
        supervisor.start();
        log.info("supervising {} workers on CPUs {}", workers,
                 slots.stream().map(slot -> Integer.toString(slot.cpu())).toList());
        // The supervisor's own liveness: its JVM schedules the ping. A dead worker is its business
        // (restart with backoff), not a reason for systemd to restart the whole fleet.
        try (Watchdog watchdog = Watchdog.start(systemd, budget -> true)) {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        supervisor.stop(drainTimeout.plus(STOP_GRACE));
        return 0;
    }

    private static ProcessBuilder workerProcess(List<String> self, Supervisor.WorkerSlot slot) {
        List<String> command = new ArrayList<>(self);
        command.add(WORKER_ID + slot.index());
        command.add(WORKER_CPU + slot.cpu());
        ProcessBuilder builder = new ProcessBuilder(command);
        // The supervisor is the one process systemd hears from.
        builder.environment().remove("NOTIFY_SOCKET");
        return builder;
    }

    /** This JVM's own command line: the java binary, its flags, the jar or class, the arguments. */
    private static List<String> selfCommand() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(info.command().orElseThrow(() -> new IllegalStateException("cannot read this process's command")));
        command.addAll(List.of(info.arguments().orElse(new String[0])));
        return command;
    }
}
