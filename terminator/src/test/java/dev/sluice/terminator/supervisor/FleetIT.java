package dev.sluice.terminator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.terminator.demo.SelfSignedCertificate;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --workers=2}: a supervisor with two pinned worker processes, one restarted after kill -9. */
class FleetIT {

    @Test
    void twoPinnedWorkersOneRestartedAfterKill(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("site.pem");
        SelfSignedCertificate.write(pem, List.of("localhost", "127.0.0.1"));
        int port = Ports.free();
        int backend = Ports.free();
        try (ExternalProcess fleet = Sluice.terminator("--frontend=[127.0.0.1]:" + port,
                "--backend=[127.0.0.1]:" + backend, "--workers=2", "--cpus=0-1", pem.toString())) {
            fleet.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
            List<Long> workers = awaitWorkers(fleet, 2, Set.of());
            Set<String> cpus = new HashSet<>();
            for (long worker : workers) {
                cpus.add(cpusAllowed(worker));
            }
            assertEquals(Set.of("0", "1"), cpus, "each worker pinned to its own CPU\n" + fleet.describe());

            ExternalProcess.Result handshake = ExternalProcess.run("s_client", List.of(Sluice.tool("openssl"),
                    "s_client", "-connect", "127.0.0.1:" + port, "-brief"), Duration.ofSeconds(20));
            assertTrue(handshake.output().contains("Protocol version: TLSv1.3"), handshake.output());

            ExternalProcess.run("kill", List.of("kill", "-KILL", Long.toString(workers.get(0))), Duration.ofSeconds(5))
                    .assertExit(0);
            List<Long> after = awaitWorkers(fleet, 2, Set.of(workers.get(0)));
            assertTrue(after.contains(workers.get(1)), "the other worker was not touched: " + workers + " -> " + after);
            assertFalse(after.contains(workers.get(0)));
            fleet.awaitOutput("worker 0 died \\(killed by SIGKILL\\)", Duration.ofSeconds(10));

            fleet.signal("TERM");
            assertEquals(0, fleet.awaitExit(Duration.ofSeconds(30)), fleet.describe());
            for (long worker : after) {
                assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "worker " + worker + " left running");
            }
        }
    }

    private static List<Long> awaitWorkers(ExternalProcess fleet, int count, Set<Long> gone) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            List<Long> children = ProcessHandle.of(fleet.pid()).orElseThrow().children()
                    .filter(ProcessHandle::isAlive).map(ProcessHandle::pid).filter(pid -> !gone.contains(pid)).toList();
            if (children.size() == count && children.stream().allMatch(FleetIT::hasStatus)) {
                return children;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + count + " workers\n" + fleet.describe());
    }

    private static boolean hasStatus(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/status")).contains("Cpus_allowed_list");
        } catch (Exception e) {
            return false;
        }
    }

    private static String cpusAllowed(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElseThrow();
    }
}
