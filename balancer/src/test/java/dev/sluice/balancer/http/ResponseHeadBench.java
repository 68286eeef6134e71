package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The response side of one keep-alive exchange: an nginx-like response (8 header lines and a
 * 64-byte body, in one read of a pooled direct buffer, as the socket hands them) decoded into its
 * head, body and last content. {@link #nettyDecode} is Netty's {@code HttpResponseDecoder} with the
 * settings the server connections used before (kept here as the baseline only);
 * {@link #onePassDecode} is {@link ResponseHeadDecoder}, which replaced it. Run with
 * {@code scripts/bench/hotpath ResponseHeadBench} ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled") // as the launcher runs it
public class ResponseHeadBench {
    private static final int BUFSIZE = 16_384;

    /** What nginx answers for a small static file, with a cookie and a cache header added. */
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.22.1\r\n"
            + "Date: Wed, 25 Nov 2026 01:30:00 GMT\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 64\r\n"
            + "Last-Modified: Tue, 24 Nov 2026 12:00:00 GMT\r\n"
            + "Connection: keep-alive\r\n"
            + "ETag: \"6743a2c0-40\"\r\n"
            + "Cache-Control: max-age=60\r\n"
            + "\r\n"
            + "{\"id\":42,\"name\":\"sluice\",\"items\":[1,2,3,4,5,6,7,8],\"ok\":true}  \n")
            .getBytes(StandardCharsets.ISO_8859_1);

    private EmbeddedChannel netty;
    private EmbeddedChannel onePass;
    private ResponseHeadDecoder decoder;
    private final PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;

    /** The decoder settings of the HttpClientCodec that server connections used before. */
    static HttpDecoderConfig nettyConfig(int bufsize) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(bufsize)
                .setMaxHeaderSize(bufsize)
                .setMaxChunkSize(bufsize)
                .setStrictLineParsing(false)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false);
    }

    @Setup
    public void setUp() {
        if (RESPONSE.length - indexOfBody() != 64) {
            throw new IllegalStateException("the body is not 64 bytes");
        }
        netty = new EmbeddedChannel(new HttpResponseDecoder(nettyConfig(BUFSIZE)));
        decoder = new ResponseHeadDecoder(BUFSIZE);
        onePass = new EmbeddedChannel(decoder);
    }

    private static int indexOfBody() {
        String text = new String(RESPONSE, StandardCharsets.ISO_8859_1);
        return text.indexOf("\r\n\r\n") + 4;
    }

    @TearDown
    public void tearDown() {
        netty.finishAndReleaseAll();
        onePass.finishAndReleaseAll();
    }

    private ByteBuf read() {
        return allocator.directBuffer(RESPONSE.length).writeBytes(RESPONSE);
    }

    /**
     * Head, body and end of one response (Netty's decoder puts the body in its last content, ours
     * passes it on before an empty one); the parts are released, the header count returned.
     */
    private static int decoded(EmbeddedChannel channel) {
        Object head = channel.readInbound();
        if (!(head instanceof HttpResponse response) || !response.decoderResult().isSuccess()) {
            throw new IllegalStateException("not a decoded response: " + head);
        }
        int bodyBytes = 0;
        for (int part = 0; part < 2; part++) {
            Object next = channel.readInbound();
            if (!(next instanceof HttpContent content)) {
                throw new IllegalStateException("not a body part: " + next);
            }
            bodyBytes += content.content().readableBytes();
            ReferenceCountUtil.release(content);
            if (content instanceof LastHttpContent) {
                break;
            }
        }
        if (bodyBytes != 64) {
            throw new IllegalStateException("the body came out as " + bodyBytes + " bytes");
        }
        return response.headers().size();
    }

    /** Netty's HttpResponseDecoder with the old settings (the baseline). */
    @Benchmark
    public int nettyDecode() {
        netty.writeInbound(read());
        return decoded(netty);
    }

    /** ResponseHeadDecoder: the head scanned, copied once and read in one pass; the body sliced. */
    @Benchmark
    public int onePassDecode() {
        decoder.expect(HttpMethod.GET); // as ServerCodec's encoder does for each request
        onePass.writeInbound(read());
        return decoded(onePass);
    }
}
