package dev.sluice.common.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which CPUs share an L2 cache, read from sysfs, to place workers: the first workers fill the
 * CPUs of one L2 domain before the next, so neighbours share warm caches and a partial fleet
 * of workers stays on as few domains as it can.
 */
public final class CpuTopology {
    private static final Path SYSFS_CPU = Path.of("/sys/devices/system/cpu");

    private final List<BitSet> l2Domains;

    private CpuTopology(List<BitSet> l2Domains) {
        this.l2Domains = List.copyOf(l2Domains);
    }

    public static CpuTopology read() {
        return read(SYSFS_CPU);
    }

    /** Reads {@code root}/cpuN/cache/index*&#47;{level,shared_cpu_list}; missing data means one CPU per domain. */
    public static CpuTopology read(Path root) {
        Set<BitSet> domains = new LinkedHashSet<>();
        try (Stream<Path> cpus = Files.list(root)) {
            for (Path cpu : cpus.filter(p -> p.getFileName().toString().matches("cpu\\d+")).sorted(CpuTopology::byNumber).toList()) {
                int number = Integer.parseInt(cpu.getFileName().toString().substring(3));
                domains.add(l2Of(cpu).orElseGet(() -> single(number)));
            }
        } catch (IOException e) {
            return new CpuTopology(List.of());
        }
        return new CpuTopology(new ArrayList<>(domains));
    }

    /** The CPUs of {@code allowed} in placement order: L2 domain by domain, lowest CPU first. */
    public List<Integer> placementOrder(BitSet allowed) {
        List<Integer> order = new ArrayList<>();
        BitSet placed = new BitSet();
        for (BitSet domain : l2Domains) {
            for (int cpu = domain.nextSetBit(0); cpu >= 0; cpu = domain.nextSetBit(cpu + 1)) {
                if (allowed.get(cpu) && !placed.get(cpu)) {
                    order.add(cpu);
                    placed.set(cpu);
                }
            }
        }
        for (int cpu = allowed.nextSetBit(0); cpu >= 0; cpu = allowed.nextSetBit(cpu + 1)) {
            if (!placed.get(cpu)) {
                order.add(cpu);
            }
        }
        return order;
    }

    public List<BitSet> l2Domains() {
        return l2Domains.stream().map(d -> (BitSet) d.clone()).toList();
    }

    private static Optional<BitSet> l2Of(Path cpu) {
        try (Stream<Path> caches = Files.list(cpu.resolve("cache"))) {
            for (Path index : caches.filter(p -> p.getFileName().toString().startsWith("index")).sorted().toList()) {
                Path level = index.resolve("level");
                Path shared = index.resolve("shared_cpu_list");
                if (Files.isReadable(level) && Files.isReadable(shared) && Files.readString(level).strip().equals("2")) {
                    return Optional.of(CpuList.parse(Files.readString(shared)));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static BitSet single(int cpu) {
        BitSet set = new BitSet();
        set.set(cpu);
        return set;
    }

    private static int byNumber(Path a, Path b) {
        return Integer.compare(Integer.parseInt(a.getFileName().toString().substring(3)),
                               Integer.parseInt(b.getFileName().toString().substring(3)));
    }
}
