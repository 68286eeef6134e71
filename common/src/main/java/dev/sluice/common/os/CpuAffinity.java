package dev.sluice.common.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.Stream;

/**
 * Pins the calling process (all its threads created afterwards, and the calling thread) to CPUs,
 * with sched_setaffinity(2) through FFM. A terminator worker calls it once at start, before its
 * event loop thread exists, so every thread it creates inherits the mask.
 */
public final class CpuAffinity {
    /** Bytes of the kernel's cpu_set_t we pass: 1024 CPUs, glibc's CPU_SETSIZE. */
    private static final int MASK_BYTES = 1024 / 8;

    private CpuAffinity() {
    }

    /** Restricts the calling thread (pid 0) to {@code cpus}. */
    public static void pinCurrentThread(BitSet cpus) throws AffinityException {
        set(0, cpus);
    }

    /**
     * Restricts every thread this process has now (JIT, GC and the rest, listed in
     * /proc/self/task) to {@code cpus}; threads created later inherit the mask of their creator.
     */
    public static void pinProcess(BitSet cpus) throws AffinityException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    set(Integer.parseInt(task.getFileName().toString()), cpus);
                } catch (AffinityException e) {
                    if (Files.exists(task)) {
                        throw e;
                    }
                    // the thread ended while we walked the list
                }
            }
        } catch (IOException e) {
            throw new AffinityException("cannot list /proc/self/task: " + e.getMessage());
        }
    }

    /** Restricts thread or process {@code tid} to {@code cpus}. */
    public static void set(int tid, BitSet cpus) throws AffinityException {
        if (cpus.isEmpty() || cpus.length() > MASK_BYTES * 8) {
            throw new AffinityException("CPU set " + cpus + " is empty or beyond CPU " + (MASK_BYTES * 8 - 1));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES);
            byte[] bits = cpus.toByteArray();
            MemorySegment.copy(bits, 0, mask, ValueLayout.JAVA_BYTE, 0, bits.length);
            Libc.schedSetaffinity(tid, mask);
        } catch (Libc.NativeException e) {
            throw new AffinityException("cannot pin to CPUs " + cpus + ": " + e.getMessage());
        }
    }

    /** The CPUs thread or process {@code tid} (0: the caller) may run on. */
    public static BitSet get(int tid) throws AffinityException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES);
            Libc.schedGetaffinity(tid, mask);
            return BitSet.valueOf(mask.toArray(ValueLayout.JAVA_BYTE));
        } catch (Libc.NativeException e) {
            throw new AffinityException("cannot read the CPU affinity: " + e.getMessage());
        }
    }

    /** The CPUs this process may run on (what {@code --workers} defaults to counting). */
    public static BitSet allowed() throws AffinityException {
        return get(0);
    }

    /** Pinning failed; the message says which CPUs and errno. */
    public static final class AffinityException extends Exception {
        public AffinityException(String message) {
            super(message);
        }
    }
}
