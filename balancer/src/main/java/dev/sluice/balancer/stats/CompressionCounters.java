package dev.sluice.balancer.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * HAProxy's compression figures of one frontend or backend: {@code comp_in} (body bytes fed to a
 * compressor), {@code comp_out} (bytes it produced), {@code comp_byp} (body bytes of responses given
 * the {@code identity} algorithm, which pass by the compressor) and {@code comp_rsp} (responses
 * compressed, identity included).
 */
public final class CompressionCounters {
    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder bypassed = new LongAdder();
    private final LongAdder responses = new LongAdder();

    public void compressed(long inputBytes, long outputBytes) {
        in.add(inputBytes);
        out.add(outputBytes);
    }

    public void bypassed(long bytes) {
        bypassed.add(bytes);
    }

    public void response() {
        responses.increment();
    }

    public long in() {
        return in.sum();
    }

    public long out() {
        return out.sum();
    }

    public long bypassed() {
        return bypassed.sum();
    }

    public long responses() {
        return responses.sum();
    }
}
