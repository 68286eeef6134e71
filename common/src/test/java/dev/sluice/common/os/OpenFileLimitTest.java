package dev.sluice.common.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** RLIMIT_NOFILE through FFM, compared with what the kernel shows in /proc/self/limits. */
class OpenFileLimitTest {

    @Test
    void readsWhatTheKernelShows() throws Exception {
        long[] limit = OpenFileLimit.current();
        String line = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
        String[] words = line.substring("Max open files".length()).trim().split("\\s+");
        assertEquals(Long.parseLong(words[0]), limit[0], line);
        assertEquals(Long.parseLong(words[1]), limit[1], line);
    }

    @Test
    void settingTheHardLimitItselfKeepsIt() throws Exception {
        long[] before = OpenFileLimit.current();
        // Soft and hard to the hard limit: allowed to anyone, and it loses nothing for this JVM.
        OpenFileLimit.set(before[1]);
        assertArrayEquals(new long[] {before[1], before[1]}, OpenFileLimit.current());
    }

    @Test
    void aboveTheHardLimitFailsWithTheFiguresUnlessPrivileged() throws Exception {
        long hard = OpenFileLimit.current()[1];
        long above = hard + 1;
        try {
            OpenFileLimit.set(above);
            // With CAP_SYS_RESOURCE the kernel allows it (up to fs.nr_open): then it must show.
            assertEquals(above, OpenFileLimit.current()[1]);
        } catch (OpenFileLimit.LimitException e) {
            assertTrue(e.getMessage().startsWith("cannot set the open-file limit to " + above + " (soft "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("EPERM") && e.getMessage().contains("CAP_SYS_RESOURCE"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> OpenFileLimit.set(0));
    }
}
