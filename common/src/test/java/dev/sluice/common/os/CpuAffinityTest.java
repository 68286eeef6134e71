package dev.sluice.common.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CpuAffinityTest {

    /** Pins a fresh thread (so the test JVM's own threads keep their mask) and reads it back. */
    @Test
    void pinsAThreadToOneCpu() throws Exception {
        BitSet allowed = CpuAffinity.allowed();
        assertFalse(allowed.isEmpty());
        int last = allowed.length() - 1;
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                BitSet one = new BitSet();
                one.set(last);
                CpuAffinity.pinCurrentThread(one);
                seen.set(CpuAffinity.get(0));
            } catch (CpuAffinity.AffinityException e) {
                seen.set(e);
            }
        });
        thread.join();
        BitSet expected = new BitSet();
        expected.set(last);
        assertEquals(expected, seen.get());
    }

    @Test
    void refusesCpusThatDoNotExist() {
        BitSet none = new BitSet();
        none.set(1000);
        CpuAffinity.AffinityException e = assertThrows(CpuAffinity.AffinityException.class,
                () -> CpuAffinity.set(0, none));
        assertFalse(e.getMessage().isEmpty());
        assertThrows(CpuAffinity.AffinityException.class, () -> CpuAffinity.set(0, new BitSet()));
    }
}
