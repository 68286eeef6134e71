package dev.sluice.terminator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.common.os.SdNotify;
import dev.sluice.common.os.Signals;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real child processes (a shell standing in for the worker binary) under the supervisor. */
class SupervisorIT {
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMinutes(1), 3);

    private static ProcessBuilder worker(String script) {
        return new ProcessBuilder("/bin/sh", "-c", script);
    }

    @Test
    void restartsAKilledWorkerAndLeavesTheOtherAlone() throws Exception {
        List<Supervisor.WorkerSlot> slots = List.of(new Supervisor.WorkerSlot(0, -1), new Supervisor.WorkerSlot(1, -1));
        try (Supervisor supervisor = new Supervisor(slots,
                slot -> worker("echo " + Supervisor.READY_LINE + "; exec sleep 300"), QUICK, SdNotify.fromEnvironment())) {
            supervisor.start();
            assertTrue(supervisor.awaitReady(Duration.ofSeconds(20)));
            List<Long> before = supervisor.workerPids();

            Signals.send(before.get(0), Signals.Posix.KILL);
            long restarted = awaitNewPid(supervisor, 0, before.get(0));

            assertNotEquals(before.get(0), restarted);
            assertEquals(before.get(1), supervisor.workerPids().get(1), "the other worker was not touched");
        }
    }

    @Test
    void aCrashLoopingWorkerDoesNotStopTheOthers() throws Exception {
        List<Supervisor.WorkerSlot> slots = List.of(new Supervisor.WorkerSlot(0, -1), new Supervisor.WorkerSlot(1, -1));
        Supervisor supervisor = new Supervisor(slots, slot -> slot.index() == 0
                ? worker("exit 3")
                : worker("echo " + Supervisor.READY_LINE + "; exec sleep 300"), QUICK, SdNotify.fromEnvironment());
        long healthy;
        try (supervisor) {
            supervisor.start();
            healthy = awaitNewPid(supervisor, 1, 0);
            for (int i = 0; i < 20; i++) {
                Thread.sleep(100);
                assertEquals(healthy, supervisor.workerPids().get(1));
            }
        }
        assertFalse(ProcessHandle.of(healthy).map(ProcessHandle::isAlive).orElse(false), "stop() ended the worker");
    }

    private static long awaitNewPid(Supervisor supervisor, int index, long old) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            long pid = supervisor.workerPids().get(index);
            if (pid != 0 && pid != old) {
                return pid;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("worker " + index + " was not (re)started: " + supervisor.workerPids());
    }
}
