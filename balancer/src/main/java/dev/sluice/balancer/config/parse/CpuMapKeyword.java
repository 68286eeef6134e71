package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.runtime.ThreadAffinity;
import java.util.BitSet;

/**
 * {@code cpu-map [auto:]PROCESS[/THREAD] CPU…}, as HAProxy 2.6 reads it. PROCESS and THREAD are
 * {@code all}, {@code odd}, {@code even}, a number or a range in 1..64; with one process left
 * since 2.5, a line whose PROCESS set lacks 1 changes nothing. CPUs are numbers and ranges,
 * separated by spaces or commas (a range may be written backwards). Without {@code auto:} each
 * selected thread (or the process) gets the whole CPU set; with it, the n-th selected thread gets
 * the n-th CPU, and both sets must have the same size unless the CPU set has one CPU. A later line
 * replaces what an earlier one set for the same thread.
 */
final class CpuMapKeyword {

    private static final String AUTO = "auto:";

    private CpuMapKeyword() {
    }

    /** Applies one {@code cpu-map} line to {@code draft}'s process set and per-thread sets. */
    static void apply(Line line, ProcessDraft draft) throws ConfigException {
        String target = line.word(1);
        boolean auto = target.startsWith(AUTO);
        if (auto) {
            target = target.substring(AUTO.length());
        }
        int slash = target.indexOf('/');
        BitSet processes = idSet(slash < 0 ? target : target.substring(0, slash));
        BitSet threads = slash < 0 ? null : idSet(target.substring(slash + 1));
        BitSet cpus = cpuSet(line);
        BitSet selected = threads != null ? threads : processes;
        if (auto && cpus.cardinality() != 1 && cpus.cardinality() != selected.cardinality()) {
            throw new ConfigException("cpu-map : PROC/THREAD range and CPU sets must have the same size to be "
                    + "automatically bound");
        }
        if (!processes.get(1)) {
            return; // only process 1 exists
        }
        if (threads == null) {
            draft.cpuProcess = auto ? nth(cpus, 0) : cpus;
            return;
        }
        int n = 0;
        for (int thread = threads.nextSetBit(1); thread >= 0; thread = threads.nextSetBit(thread + 1)) {
            draft.cpuThreads[thread] = auto && cpus.cardinality() > 1 ? nth(cpus, n++) : (BitSet) cpus.clone();
        }
    }

    /** A process or thread set: all, odd, even, N or N-M, each within 1..64. */
    static BitSet idSet(String text) throws ConfigException {
        BitSet ids = new BitSet();
        switch (text) {
            case "all" -> ids.set(1, ThreadAffinity.MAX_THREADS + 1);
            case "odd" -> oddOrEven(ids, 1);
            case "even" -> oddOrEven(ids, 2);
            default -> {
                int dash = text.indexOf('-');
                int first = id(dash < 0 ? text : text.substring(0, dash), text);
                int last = dash < 0 ? first : id(text.substring(dash + 1), text);
                ids.set(Math.min(first, last), Math.max(first, last) + 1);
            }
        }
        return ids;
    }

    private static void oddOrEven(BitSet ids, int start) {
        for (int id = start; id <= ThreadAffinity.MAX_THREADS; id += 2) {
            ids.set(id);
        }
    }

    private static int id(String digits, String whole) throws ConfigException {
        if (digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(Character::isDigit)
                || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > ThreadAffinity.MAX_THREADS) {
            throw new ConfigException("cpu-map : '" + whole + "' is not a valid number/range. It supports numbers "
                    + "from 1 to " + ThreadAffinity.MAX_THREADS + ".");
        }
        return Integer.parseInt(digits);
    }

    private static BitSet cpuSet(Line line) throws ConfigException {
        if (line.size() < 3) {
            throw new ConfigException("cpu-map expects a process number ('all', 'odd', 'even', a number from 1 to "
                    + ThreadAffinity.MAX_THREADS + " or a range), followed by a list of CPU ranges");
        }
        BitSet cpus = new BitSet();
        for (String word : line.from(2)) {
            for (String range : word.split(",", -1)) {
                int dash = range.indexOf('-');
                int first = cpu(dash < 0 ? range : range.substring(0, dash), range);
                int last = dash < 0 ? first : cpu(range.substring(dash + 1), range);
                cpus.set(Math.min(first, last), Math.max(first, last) + 1);
            }
        }
        return cpus;
    }

    private static int cpu(String digits, String range) throws ConfigException {
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
            throw new ConfigException("cpu-map : '" + range + "' is not a CPU range.");
        }
        return Integer.parseInt(digits);
    }

    private static BitSet nth(BitSet cpus, int n) {
        int cpu = cpus.nextSetBit(0);
        for (int i = 0; i < n; i++) {
            cpu = cpus.nextSetBit(cpu + 1);
        }
        BitSet one = new BitSet();
        one.set(cpu);
        return one;
    }
}
