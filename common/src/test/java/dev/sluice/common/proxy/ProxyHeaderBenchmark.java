package dev.sluice.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
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
 * Decode and encode cost of one PROXY header, per header: what the balancer pays per accepted
 * connection and the terminator per backend connection. Run by {@code scripts/bench/proxy}
 * (with {@code -prof gc} for allocations per operation). Inputs sit in direct pooled buffers,
 * as they do when read from a socket.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class ProxyHeaderBenchmark {
    /** What a terminator sends: client address, ALPN, SNI and TLS facts. */
    private static final ProxyHeader TERMINATOR_HEADER = ProxyHeader.proxy(
            ProxyVectors.inet("203.0.113.7", 51234), ProxyVectors.inet("198.51.100.1", 443),
            List.of(Tlv.alpn("h2"), Tlv.authority("www.example.com"), Tlv.ssl(SslInfo.of("TLSv1.3", "TLS_AES_128_GCM_SHA256"))));

    private ByteBuf v1;
    private ByteBuf v2;
    private ByteBuf v2Crc;
    private ByteBuf out;

    @Setup
    public void setUp() {
        v1 = direct(ProxyVectors.V1_TCP4.bytes());
        ByteBuf encoded = PooledByteBufAllocator.DEFAULT.directBuffer();
        ProxyHeaderEncoder.encodeV2(TERMINATOR_HEADER, encoded, false);
        v2 = encoded;
        v2Crc = PooledByteBufAllocator.DEFAULT.directBuffer();
        ProxyHeaderEncoder.encodeV2(TERMINATOR_HEADER, v2Crc, true);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(256);
    }

    private static ByteBuf direct(byte[] bytes) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown
    public void tearDown() {
        v1.release();
        v2.release();
        v2Crc.release();
        out.release();
    }

    private static ProxyHeader parse(ByteBuf in) {
        in.readerIndex(0);
        return ProxyHeaderParser.parse(in, ProxyAcceptance.DEFAULT_MAX_V2_BYTES);
    }

    @Benchmark
    public ProxyHeader decodeV1() {
        return parse(v1);
    }

    @Benchmark
    public ProxyHeader decodeV2WithTlvs() {
        return parse(v2);
    }

    @Benchmark
    public ProxyHeader decodeV2WithTlvsAndCrc32c() {
        return parse(v2Crc);
    }

    @Benchmark
    public int encodeV1() {
        out.clear();
        ProxyHeaderEncoder.encodeV1(TERMINATOR_HEADER, out);
        return out.writerIndex();
    }

    @Benchmark
    public int encodeV2WithTlvs() {
        out.clear();
        ProxyHeaderEncoder.encodeV2(TERMINATOR_HEADER, out, false);
        return out.writerIndex();
    }

    @Benchmark
    public int encodeV2WithTlvsAndCrc32c() {
        out.clear();
        ProxyHeaderEncoder.encodeV2(TERMINATOR_HEADER, out, true);
        return out.writerIndex();
    }
}
