package dev.sluice.balancer.http;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.zip.Deflater;

/**
 * Deflaters kept per event loop for reuse: each holds about 256 KiB of native zlib state, too much
 * to make per response. Only the loop's own thread takes and gives back, so there is no lock.
 */
final class DeflaterPool {
    /** Idle deflaters kept per event loop and wrapping; more are ended (their native memory freed). */
    static final int MAX_IDLE = 64;

    private static final FastThreadLocal<DeflaterPool> POOLS = new FastThreadLocal<>() {
        @Override
        protected DeflaterPool initialValue() {
            return new DeflaterPool();
        }
    };

    /** zlib-wrapped (deflate) and raw (gzip, raw-deflate) streams. */
    private final ArrayDeque<Deflater> wrapped = new ArrayDeque<>();
    private final ArrayDeque<Deflater> raw = new ArrayDeque<>();

    private DeflaterPool() {
    }

    /** A reset deflater of this thread's pool, or a new one, set to {@code level}. */
    static Deflater take(int level, boolean nowrap) {
        DeflaterPool pool = POOLS.get();
        Deflater deflater = (nowrap ? pool.raw : pool.wrapped).poll();
        if (deflater == null) {
            return new Deflater(level, nowrap);
        }
        deflater.setLevel(level);
        return deflater;
    }

    /** Gives {@code deflater}, taken with {@code nowrap}, back to this thread's pool. */
    static void give(Deflater deflater, boolean nowrap) {
        deflater.reset();
        ArrayDeque<Deflater> idle = nowrap ? POOLS.get().raw : POOLS.get().wrapped;
        if (idle.size() < MAX_IDLE) {
            idle.push(deflater);
        } else {
            deflater.end();
        }
    }

    /** Idle deflaters of this thread (tests). */
    static int idle() {
        return idle(true) + idle(false);
    }

    /** Idle raw ({@code nowrap}) or zlib-wrapped deflaters of this thread (tests). */
    static int idle(boolean nowrap) {
        return (nowrap ? POOLS.get().raw : POOLS.get().wrapped).size();
    }
}
