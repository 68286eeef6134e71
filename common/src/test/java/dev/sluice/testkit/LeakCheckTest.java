package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakCheckTest {

    @Test
    void unreleasedBufferIsReported() {
        leakOne();
        List<String> leaks = List.of();
        for (int attempt = 0; attempt < 20 && leaks.isEmpty(); attempt++) {
            leaks = LeakCheck.drain();
        }
        assertTrue(leaks.stream().anyMatch(leak -> leak.contains("ByteBuf")),
                   "the leak detector did not report an unreleased buffer: " + leaks);
    }

    @Test
    void releasedBufferIsNotReported() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer(64);
        buffer.writeLong(1L);
        buffer.release();
        assertTrue(LeakCheck.drain().isEmpty());
    }

    private static void leakOne() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer(64);
        buffer.writeInt(42);
    }
}
