package dev.sluice.common.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuTopologyTest {

    /** Four CPUs where SMT siblings 0,2 and 1,3 share an L2: placement fills 0,2 before 1,3. */
    @Test
    void placesWorkersDomainByDomain(@TempDir Path sysfs) throws IOException {
        String[] l2 = {"0,2", "1,3", "0,2", "1,3"};
        for (int cpu = 0; cpu < 4; cpu++) {
            cache(sysfs, cpu, 0, "1", Integer.toString(cpu));
            cache(sysfs, cpu, 2, "2", l2[cpu]);
            cache(sysfs, cpu, 3, "3", "0-3");
        }
        CpuTopology topology = CpuTopology.read(sysfs);
        assertEquals(List.of(0, 2, 1, 3), topology.placementOrder(CpuList.parse("0-3")));
        assertEquals(List.of(2, 1, 3), topology.placementOrder(CpuList.parse("1-3")));
    }

    @Test
    void withoutCacheDataEachCpuIsItsOwnDomain(@TempDir Path sysfs) throws IOException {
        Files.createDirectories(sysfs.resolve("cpu1"));
        Files.createDirectories(sysfs.resolve("cpu0"));
        assertEquals(List.of(0, 1), CpuTopology.read(sysfs).placementOrder(CpuList.parse("0-1")));
    }

    @Test
    void readsThisMachine() {
        BitSet all = new BitSet();
        all.set(0, Runtime.getRuntime().availableProcessors());
        assertFalse(CpuTopology.read().placementOrder(all).isEmpty());
    }

    private static void cache(Path sysfs, int cpu, int index, String level, String shared) throws IOException {
        Path dir = Files.createDirectories(sysfs.resolve("cpu" + cpu + "/cache/index" + index));
        Files.writeString(dir.resolve("level"), level + "\n");
        Files.writeString(dir.resolve("shared_cpu_list"), shared + "\n");
    }
}
