package dev.sluice.common.proxy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the decoder with Jazzer ({@link ProxyFuzzProperty} says what must
 * hold). The unit-test run replays the seeds in {@code ProxyHeaderFuzzTestInputs/decoder}
 * (Jazzer's regression mode); the build's {@code fuzz} execution (failsafe, with
 * {@code JAZZER_FUZZ=1}) fuzzes for the bounded time below.
 */
class ProxyHeaderFuzzTest {
    private static final int MAX_CHUNK = 64;
    private static final AtomicLong executions = new AtomicLong();

    @FuzzTest(maxDuration = "10s")
    void decoder(FuzzedDataProvider data) {
        executions.incrementAndGet();
        int chunk = data.consumeInt(1, MAX_CHUNK);
        ProxyFuzzProperty.check(data.consumeRemainingAsBytes(), chunk);
    }

    @AfterAll
    static void report() {
        System.out.println("ProxyHeaderFuzzTest: " + executions.get() + " inputs checked");
    }
}
