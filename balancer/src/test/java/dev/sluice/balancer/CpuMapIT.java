package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.common.os.CpuAffinity;
import dev.sluice.common.os.CpuList;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cpu-map} on the real processes: the same lines given to Debian's haproxy 2.6 and to ours
 * leave their event loop threads with the same CPU sets (read from /proc/PID/task/TID/status). The
 * CPUs are the first two this test may use (the same one twice on a one-CPU machine).
 */
class CpuMapIT {
    private static final Duration START = Duration.ofSeconds(20);
    /** /proc/PID/task/TID/comm is cut at 15 characters: our event loops' name prefix is exactly that. */
    private static final String OUR_LOOPS = "sluice-balancer";

    @TempDir
    Path dir;

    private static String config(String cpuMap, int port) {
        return """
                global
                    nbthread 2
                    %s
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                frontend fe
                    bind 127.0.0.1:%d
                    http-request return status 200
                """.formatted(cpuMap, port);
    }

    private static int[] twoCpus() throws CpuAffinity.AffinityException {
        BitSet allowed = CpuAffinity.allowed();
        int first = allowed.nextSetBit(0);
        int second = allowed.nextSetBit(first + 1);
        return new int[] {first, second < 0 ? first : second};
    }

    @Test
    void autoMapPinsEachLoopToItsOwnCpuAsHaproxyDoes() throws Exception {
        int[] cpus = twoCpus();
        List<String> theirs = haproxyLoops("cpu-map auto:1/1-2 " + cpus[0] + " " + cpus[1]);
        List<String> ours = ourLoops("cpu-map auto:1/1-2 " + cpus[0] + " " + cpus[1]);
        assertEquals(List.of(Integer.toString(cpus[0]), Integer.toString(cpus[1])).stream().sorted().toList(), ours);
        assertEquals(theirs, ours);
    }

    @Test
    void oneSetForAllThreadsAsHaproxyDoes() throws Exception {
        int cpu = twoCpus()[1];
        List<String> ours = ourLoops("cpu-map 1/all " + cpu);
        assertEquals(List.of(Integer.toString(cpu), Integer.toString(cpu)), ours);
        assertEquals(haproxyLoops("cpu-map 1/all " + cpu), ours);
    }

    /** A CPU the process may not use is left out with a warning; the rest still applies. */
    @Test
    void unavailableCpusAreLeftOutWithAWarning() throws Exception {
        int cpu = twoCpus()[0];
        int port = Ports.free();
        Path cfg = Files.writeString(dir.resolve("ours.cfg"), config("cpu-map 1/1 " + cpu + " 8000\n"
                + "    cpu-map 1/2 8001", port));
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
            assertTrue(balancer.output().contains("cpu-map: thread 1: CPUs 8000 left out, not available to this "
                    + "process"), balancer.output());
            assertTrue(balancer.output().contains("cpu-map: thread 2 not pinned: CPUs 8001 are not available"),
                    balancer.output());
            // Thread 2 keeps every CPU: it must not inherit thread 1's set.
            String all = CpuList.format(CpuAffinity.allowed());
            assertEquals(Stream.of(Integer.toString(cpu), all).sorted().toList(),
                    threadCpus(balancer.pid(), OUR_LOOPS));
        }
    }

    private List<String> ourLoops(String cpuMap) throws IOException {
        int port = Ports.free();
        Path cfg = Files.writeString(dir.resolve("ours.cfg"), config(cpuMap, port));
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
            return threadCpus(balancer.pid(), OUR_LOOPS);
        }
    }

    private List<String> haproxyLoops(String cpuMap) throws IOException {
        int port = Ports.free();
        Path cfg = Files.writeString(dir.resolve("theirs.cfg"), config(cpuMap, port));
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                List.of(Sluice.tool("haproxy"), "-db", "-f", cfg.toString()))) {
            haproxy.awaitListening("127.0.0.1", port, START);
            return threadCpus(haproxy.pid(), "haproxy");
        }
    }

    /** The sorted Cpus_allowed_list of the threads of {@code pid} named {@code name}. */
    private static List<String> threadCpus(long pid, String name) throws IOException {
        List<String> cpus = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                if (!Files.readString(task.resolve("comm")).strip().equals(name)) {
                    continue;
                }
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("Cpus_allowed_list:")) {
                        cpus.add(CpuList.format(CpuList.parse(line.substring(line.indexOf(':') + 1))));
                    }
                }
            }
        }
        return cpus.stream().sorted().toList();
    }
}
