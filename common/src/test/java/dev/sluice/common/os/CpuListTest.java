package dev.sluice.common.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class CpuListTest {

    @Test
    void parsesRangesAndSingles() {
        BitSet cpus = CpuList.parse("0-3,8,10-11\n");
        assertEquals("0-3,8,10-11", CpuList.format(cpus));
        assertEquals(7, cpus.cardinality());
    }

    @Test
    void formatsSingleCpu() {
        assertEquals("5", CpuList.format(CpuList.parse("5")));
    }

    @Test
    void refusesMalformedLists() {
        for (String bad : new String[] {"", "a", "3-1", "1,,2", "-1", "1-", "99999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuList.parse(bad), bad);
            assertTrue(e.getMessage().contains("CPU"), e.getMessage());
        }
    }
}
