package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time (not wall time) each decoder spends on one request head, {@link StrictRequestDecoder}
 * and {@link RequestHeadDecoder} alternating on the head {@link RequestHeadBench} uses. Thread CPU
 * time leaves out the time the thread waits for a CPU, so the figures hold on a machine that other
 * work keeps busy, where JMH's wall-clock ns/op do not (GC threads are not counted: see the B/op of
 * RequestHeadBench for that). Run: {@code java -cp TEST_CLASSPATH dev.sluice.balancer.http.RequestHeadCpuTime}
 * (the class path as scripts/bench/hotpath builds it).
 */
public final class RequestHeadCpuTime {
    private static final int BUFSIZE = 16_384;
    private static final int HEADS_PER_RUN = 500_000;
    /** Runs of each decoder before measuring: the JIT compiles both meanwhile. */
    private static final int WARMUP_RUNS = 4;
    private static final int MEASURED_RUNS = 6;
    /** Read so that the JIT cannot drop the decoding. */
    private static long sink;

    private RequestHeadCpuTime() {
    }

    /** The thread CPU nanoseconds one decoder spends on {@link #HEADS_PER_RUN} heads. */
    private static long run(EmbeddedChannel channel) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < HEADS_PER_RUN; i++) {
            ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(RequestHeadBench.REQUEST.length)
                    .writeBytes(RequestHeadBench.REQUEST);
            channel.writeInbound(read);
            HttpRequest request = channel.readInbound();
            sink += request.headers().size();
            ReferenceCountUtil.release(channel.readInbound());
        }
        return threads.getCurrentThreadCpuTime() - start;
    }

    public static void main(String[] args) {
        EmbeddedChannel strict = new EmbeddedChannel(new StrictRequestDecoder(BUFSIZE));
        EmbeddedChannel onePass = new EmbeddedChannel(new RequestHeadDecoder(BUFSIZE));
        for (int i = 0; i < WARMUP_RUNS; i++) {
            run(strict);
            run(onePass);
        }
        for (int i = 0; i < MEASURED_RUNS; i++) {
            double before = run(strict) / (double) HEADS_PER_RUN;
            double after = run(onePass) / (double) HEADS_PER_RUN;
            System.out.printf("run %d: StrictRequestDecoder %.0f ns CPU/head, RequestHeadDecoder %.0f ns CPU/head, ratio %.2f%n",
                    i + 1, before, after, after / before);
        }
        System.out.println(sink > 0 ? "" : "(no heads decoded)");
        strict.finishAndReleaseAll();
        onePass.finishAndReleaseAll();
    }
}
