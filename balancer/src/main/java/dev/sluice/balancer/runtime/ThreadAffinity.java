package dev.sluice.balancer.runtime;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/**
 * Which CPUs each event loop may run on, from {@code cpu-map}. Thread numbers are HAProxy's,
 * 1-based; a thread without its own set takes the process's set; with neither it is not pinned.
 * Immutable: the sets are copied in and out.
 */
public final class ThreadAffinity {

    /** HAProxy numbers processes and threads 1..64 (one bit of a long each). */
    public static final int MAX_THREADS = 64;
    public static final ThreadAffinity NONE = new ThreadAffinity(null, new BitSet[MAX_THREADS + 1]);

    private final BitSet process;
    private final BitSet[] threads;

    /**
     * @param process the set for every thread without its own (null: none)
     * @param threads index 1..64: a thread's own set (null: none); index 0 is unused
     */
    public ThreadAffinity(BitSet process, BitSet[] threads) {
        if (threads.length != MAX_THREADS + 1 || threads[0] != null) {
            throw new IllegalArgumentException("threads: expected 65 slots, 1-based");
        }
        this.process = copy(process);
        this.threads = new BitSet[threads.length];
        for (int i = 1; i < threads.length; i++) {
            this.threads[i] = copy(threads[i]);
        }
    }

    /** Whether no thread is pinned. */
    public boolean isEmpty() {
        return process == null && Arrays.stream(threads).allMatch(Objects::isNull);
    }

    /** The CPUs of thread {@code thread} (1-based), or null when it is not pinned. */
    public BitSet cpusOf(int thread) {
        if (thread < 1 || thread > MAX_THREADS) {
            return copy(process);
        }
        return copy(threads[thread] != null ? threads[thread] : process);
    }

    private static BitSet copy(BitSet cpus) {
        return cpus == null || cpus.isEmpty() ? null : (BitSet) cpus.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ThreadAffinity that && Objects.equals(process, that.process)
                && Arrays.equals(threads, that.threads);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(process) + Arrays.hashCode(threads);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ThreadAffinity[");
        if (process != null) {
            text.append("process=").append(process);
        }
        for (int i = 1; i < threads.length; i++) {
            if (threads[i] != null) {
                text.append(" thread").append(i).append('=').append(threads[i]);
            }
        }
        return text.append(']').toString();
    }
}
