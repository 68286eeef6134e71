package dev.sluice.common.os;

import java.util.BitSet;
import java.util.StringJoiner;

/** The kernel's CPU list syntax ({@code 0-3,8,10-11}), as in sysfs, taskset and {@code --cpus}. */
public final class CpuList {
    /** Larger CPU numbers than this are a typo, not a machine. */
    static final int MAX_CPU = 8191;

    private CpuList() {
    }

    public static BitSet parse(String text) {
        BitSet cpus = new BitSet();
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty CPU list (expected e.g. 0-3,6)");
        }
        for (String part : trimmed.split(",", -1)) {
            int dash = part.indexOf('-');
            int first = number(part.substring(0, dash < 0 ? part.length() : dash), text);
            int last = dash < 0 ? first : number(part.substring(dash + 1), text);
            if (last < first) {
                throw new IllegalArgumentException("CPU range '" + part + "' runs backwards in '" + text + "'");
            }
            cpus.set(first, last + 1);
        }
        return cpus;
    }

    public static String format(BitSet cpus) {
        StringJoiner joiner = new StringJoiner(",");
        for (int first = cpus.nextSetBit(0); first >= 0; ) {
            int end = cpus.nextClearBit(first);
            joiner.add(end - 1 == first ? Integer.toString(first) : first + "-" + (end - 1));
            first = cpus.nextSetBit(end);
        }
        return joiner.toString();
    }

    private static int number(String digits, String whole) {
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad CPU number '" + digits + "' in '" + whole + "' (expected e.g. 0-3,6)");
        }
        int cpu = Integer.parseInt(digits);
        if (cpu > MAX_CPU) {
            throw new IllegalArgumentException("CPU " + cpu + " is beyond " + MAX_CPU + " in '" + whole + "'");
        }
        return cpu;
    }
}
