package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time (not wall time) each decoder spends on one keep-alive response, Netty's
 * {@code HttpResponseDecoder} (the old server-side path, as the baseline) and {@link ResponseHeadDecoder}
 * alternating on the response {@link ResponseHeadBench} uses. Thread CPU time leaves out the time the
 * thread waits for a CPU, so the figures hold on a busy machine, where JMH's ns/op do not (GC
 * threads are not counted: see the B/op of ResponseHeadBench). Run:
 * {@code java -cp TEST_CLASSPATH dev.sluice.balancer.http.ResponseHeadCpuTime}.
 */
public final class ResponseHeadCpuTime {
    private static final int BUFSIZE = 16_384;
    private static final int RESPONSES_PER_RUN = 500_000;
    /** Runs of each decoder before measuring: the JIT compiles both meanwhile. */
    private static final int WARMUP_RUNS = 4;
    private static final int MEASURED_RUNS = 6;
    /** Parts after the head: Netty's decoder emits one (the body in the last content), ours two. */
    private static final int MAX_PARTS = 3;
    /** Read so that the JIT cannot drop the decoding. */
    private static long sink;

    private ResponseHeadCpuTime() {
    }

    /** The thread CPU nanoseconds one decoder spends on {@link #RESPONSES_PER_RUN} responses. */
    private static long run(EmbeddedChannel channel, ResponseHeadDecoder ours) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < RESPONSES_PER_RUN; i++) {
            if (ours != null) {
                ours.expect(HttpMethod.GET);
            }
            ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(ResponseHeadBench.RESPONSE.length)
                    .writeBytes(ResponseHeadBench.RESPONSE);
            channel.writeInbound(read);
            HttpResponse response = channel.readInbound();
            sink += response.headers().size();
            for (int part = 0; part < MAX_PARTS; part++) {
                Object next = channel.readInbound();
                ReferenceCountUtil.release(next);
                if (next instanceof LastHttpContent) {
                    break;
                }
            }
        }
        return threads.getCurrentThreadCpuTime() - start;
    }

    public static void main(String[] args) {
        EmbeddedChannel netty = new EmbeddedChannel(new HttpResponseDecoder(ResponseHeadBench.nettyConfig(BUFSIZE)));
        ResponseHeadDecoder ours = new ResponseHeadDecoder(BUFSIZE);
        EmbeddedChannel onePass = new EmbeddedChannel(ours);
        for (int i = 0; i < WARMUP_RUNS; i++) {
            run(netty, null);
            run(onePass, ours);
        }
        for (int i = 0; i < MEASURED_RUNS; i++) {
            double before = run(netty, null) / (double) RESPONSES_PER_RUN;
            double after = run(onePass, ours) / (double) RESPONSES_PER_RUN;
            System.out.printf("run %d: HttpResponseDecoder %.0f ns CPU/response, ResponseHeadDecoder %.0f ns CPU/response, ratio %.2f%n",
                    i + 1, before, after, after / before);
        }
        System.out.println(sink > 0 ? "" : "(no responses decoded)");
        netty.finishAndReleaseAll();
        onePass.finishAndReleaseAll();
    }
}
