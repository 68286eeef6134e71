package dev.sluice.balancer.http;

import dev.sluice.balancer.runtime.ForwardFor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
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
 * The request-head path of one keep-alive request with 8 header lines, as the balancer runs it:
 * the bytes of one read (a pooled direct buffer, as the socket hands them) decoded by
 * {@link StrictRequestDecoder} in an {@link EmbeddedChannel}, then the checks and rewrites of
 * {@link MessageRules} (header count, single Host, transfer coding, hop-by-hop headers stripped,
 * {@code X-Forwarded-For} appended). {@link #nettyDecode} is Netty's decoder with the same settings,
 * so that {@code decode - nettyDecode} is what the strict head scan adds and {@code head - decode}
 * what the header rules add. {@link #onePassDecode} and {@link #onePassHead} are the same two steps
 * with {@link RequestHeadDecoder}, the decoder that replaced it, on the same bytes. Run with
 * {@code scripts/bench/hotpath RequestHeadBench} ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled") // as the launcher runs it
public class RequestHeadBench {
    private static final int BUFSIZE = 16_384;

    /** A browser-like GET: 8 header lines, one of them hop-by-hop. */
    static final byte[] REQUEST = ("GET /api/v1/items?id=42&sort=name HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-GB,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Cookie: session=3f1c2a9b7d; user=alice\r\n"
            + "Connection: keep-alive\r\n"
            + "X-Request-Id: 6f9a1c2e-8b1d-4c3e-9f00-123456789abc\r\n"
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private EmbeddedChannel strict;
    private EmbeddedChannel netty;
    private EmbeddedChannel onePass;
    private final PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private ForwardedFor forwardedFor;
    private AsciiString forwardedValue;

    @Setup
    public void setUp() {
        strict = new EmbeddedChannel(new StrictRequestDecoder(BUFSIZE));
        netty = new EmbeddedChannel(new HttpRequestDecoder(StrictRequestDecoder.config(BUFSIZE)));
        onePass = new EmbeddedChannel(new RequestHeadDecoder(BUFSIZE));
        forwardedFor = new ForwardedFor(ForwardFor.ENABLED, ForwardFor.DISABLED);
        // computed once per connection, as the exchange handler does
        forwardedValue = forwardedFor.valueFor(new InetSocketAddress("192.0.2.10", 50_000));
    }

    @TearDown
    public void tearDown() {
        strict.finishAndReleaseAll();
        netty.finishAndReleaseAll();
        onePass.finishAndReleaseAll();
    }

    private ByteBuf read() {
        return allocator.directBuffer(REQUEST.length).writeBytes(REQUEST);
    }

    /** The decoder's output for one request: the head, then the empty last content (released). */
    private static HttpRequest decoded(EmbeddedChannel channel) {
        Object head = channel.readInbound();
        Object last = channel.readInbound();
        if (!(head instanceof HttpRequest request) || !request.decoderResult().isSuccess()
                || !(last instanceof LastHttpContent)) {
            throw new IllegalStateException("not one decoded request: " + head + ", " + last);
        }
        ReferenceCountUtil.release(last);
        return request;
    }

    /** Netty's HttpRequestDecoder with our settings alone. */
    @Benchmark
    public Object nettyDecode() {
        netty.writeInbound(read());
        return decoded(netty).headers().size();
    }

    /** StrictRequestDecoder: the head scan (blank line, obsolete folding) and Netty's parse. */
    @Benchmark
    public Object decode() {
        strict.writeInbound(read());
        return decoded(strict).headers().size();
    }

    /** RequestHeadDecoder: the head scanned, copied once and read in one pass. */
    @Benchmark
    public Object onePassDecode() {
        onePass.writeInbound(read());
        return decoded(onePass).headers().size();
    }

    /** Decode, then what the exchange does to every request head before it goes to the server. */
    @Benchmark
    public Object head() {
        return rules(decodedBy(strict));
    }

    /** {@link #head} with RequestHeadDecoder. */
    @Benchmark
    public Object onePassHead() {
        return rules(decodedBy(onePass));
    }

    private HttpRequest decodedBy(EmbeddedChannel channel) {
        channel.writeInbound(read());
        return decoded(channel);
    }

    private Object rules(HttpRequest request) {
        HttpRefusal refusal = MessageRules.check(request);
        if (refusal != null) {
            throw new IllegalStateException("refused: " + refusal);
        }
        boolean bodyless = MessageRules.bodyless(request);
        boolean upgrade = HopByHop.isUpgrade(request.headers());
        MessageRules.prepareRequest(request, upgrade, forwardedFor, forwardedValue);
        return bodyless ? request.headers().size() : -1;
    }
}
