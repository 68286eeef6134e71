package dev.sluice.balancer.http;

import dev.sluice.balancer.runtime.CompressionAlgorithm;
import dev.sluice.balancer.runtime.CompressionPlan;
import dev.sluice.balancer.stats.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The compression work of one response as the exchange does it: the request's algorithm chosen from
 * a browser's {@code Accept-Encoding}, the response judged and its head rewritten, a 6,000-byte HTML
 * body (one part, a pooled direct buffer as the server connection hands it) deflated and ended.
 * {@link #notConfigured} is the same response through the hooks of a proxy without
 * {@code compression}: what every other request pays. Run with
 * {@code scripts/bench/hotpath CompressionBench} ({@code -prof gc}: the bytes allocated per response).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled") // as the launcher runs it
public class CompressionBench {
    private static final byte[] PAGE = page();

    @Param({"gzip", "deflate"})
    public String algorithm;
    @Param({"1", "6"})
    public int level;

    private final PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final Counters front = new Counters();
    private final Counters back = new Counters();
    private HttpRequest request;
    private HttpResponse response;
    private CompressionPlan plan;
    private ResponseCompressor compressor;

    private static byte[] page() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 6_000; i++) {
            text.append("<li class=\"item\"><a href=\"/items/").append(i * 7919 % 10_007).append("\">item ")
                    .append(i).append("</a></li>\n");
        }
        return text.substring(0, 6_000).getBytes(StandardCharsets.US_ASCII);
    }

    @Setup
    public void setUp() {
        request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/items");
        request.headers().add(HttpHeaderNames.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Firefox/128.0")
                .add(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate, br");
        response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        plan = new CompressionPlan(List.of(CompressionAlgorithm.byConfigName(algorithm)), List.of("text/html"), false,
                level);
    }

    private void serverHead() {
        response.headers().clear();
        response.headers().add(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .add(HttpHeaderNames.CONTENT_LENGTH, PAGE.length);
    }

    private int respond(CompressionPlan configured) {
        compressor = ResponseCompressor.request(compressor, configured, CompressionPlan.NONE, request, front, back);
        serverHead();
        ResponseCompressor.decide(compressor, response, false);
        ResponseCompressor.rewriteHead(compressor, response);
        ByteBuf body = allocator.directBuffer(PAGE.length).writeBytes(PAGE);
        HttpContent out = ResponseCompressor.body(compressor, new DefaultLastHttpContent(body), allocator);
        int sent = out.content().readableBytes();
        out.release();
        ResponseCompressor.end(compressor);
        return sent;
    }

    @Benchmark
    public int compressed() {
        return respond(plan);
    }

    @Benchmark
    public int notConfigured() {
        return respond(CompressionPlan.NONE);
    }
}
