package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.ThreadAffinity;
import dev.sluice.common.os.CpuList;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * {@code cpu-map} read as HAProxy 2.6 reads it (the accepted and refused forms and the alert texts
 * were taken from {@code haproxy -c} and from the affinity of its threads in /proc).
 */
class CpuMapConfigTest {
    private static ThreadAffinity map(String globalLines) {
        LoadResult result = GlobalSection.load(globalLines);
        assertTrue(result.isValid(), result.render());
        ThreadAffinity map = result.config().orElseThrow().global().process().cpuMap();
        assertEquals(map, Compiler.compile(result.config().orElseThrow()).plan().global().process().cpuMap(),
                "the plan carries the map");
        return map;
    }

    private static String cpus(ThreadAffinity map, int thread) {
        BitSet cpus = map.cpusOf(thread);
        return cpus == null ? null : CpuList.format(cpus);
    }

    @Test
    void withoutCpuMapNothingIsPinned() {
        ThreadAffinity none = map("    nbthread 2");
        assertTrue(none.isEmpty());
        assertNull(none.cpusOf(1));
    }

    @Test
    void autoGivesEachThreadOneCpuInOrder() {
        ThreadAffinity map = map("    nbthread 4\n    cpu-map auto:1/1-4 4-7");
        assertEquals("4", cpus(map, 1));
        assertEquals("7", cpus(map, 4));
        assertNull(cpus(map, 5));
        ThreadAffinity listed = map("    cpu-map auto:1/1-2 3 1");
        assertEquals("1", cpus(listed, 1), "CPUs are taken in ascending order");
        assertEquals("3", cpus(listed, 2));
    }

    @Test
    void withoutAutoEveryThreadGetsTheWholeSet() {
        ThreadAffinity map = map("    cpu-map 1/all 0-1,3 5");
        assertEquals("0-1,3,5", cpus(map, 1));
        assertEquals("0-1,3,5", cpus(map, 64));
        assertEquals("0-1", cpus(map("    cpu-map 1/1 1-0"), 1), "a range may run backwards");
    }

    @Test
    void oddEvenAndTheProcessSet() {
        ThreadAffinity odd = map("    cpu-map 1/odd 1");
        assertEquals("1", cpus(odd, 1));
        assertNull(cpus(odd, 2));
        ThreadAffinity process = map("    cpu-map 1 2\n    cpu-map 1/2 3");
        assertEquals("2", cpus(process, 1), "a thread without its own set takes the process's");
        assertEquals("3", cpus(process, 2));
        assertEquals("0", cpus(map("    cpu-map auto:1-2 1-0"), 1), "auto: process 1 takes the first CPU");
        assertEquals("5", cpus(map("    cpu-map auto:1/odd 5"), 3), "auto: one CPU serves every thread");
    }

    @Test
    void linesForAnotherProcessChangeNothing() {
        assertTrue(map("    cpu-map even 1\n    cpu-map 2/1 0").isEmpty());
    }

    @Test
    void aLaterLineReplacesAnEarlierOne() {
        assertEquals("2", cpus(map("    cpu-map 1/1 1\n    cpu-map 1/1 2"), 1));
    }

    @Test
    void badLinesAreAlertsWithHaproxysWords() {
        assertTrue(GlobalSection.alert("    cpu-map auto:1/1-4 0-1").contains("t.cfg:2")
                && GlobalSection.alert("    cpu-map auto:1/1-4 0-1").contains(
                        "PROC/THREAD range and CPU sets must have the same size to be automatically bound"));
        assertTrue(GlobalSection.alert("    cpu-map auto:1/1 0-1").contains("same size"));
        assertTrue(GlobalSection.alert("    cpu-map 1/0 0").contains("'0' is not a valid number/range. It supports numbers from 1 to 64."));
        assertTrue(GlobalSection.alert("    cpu-map 1/65 0").contains("'65' is not a valid number/range"));
        assertTrue(GlobalSection.alert("    cpu-map 0 0").contains("'0' is not a valid number/range"));
        assertTrue(GlobalSection.alert("    cpu-map 1/1 a").contains("'a' is not a CPU range."));
        assertTrue(GlobalSection.alert("    cpu-map 1/1").contains("followed by a list of CPU ranges"));
    }
}
