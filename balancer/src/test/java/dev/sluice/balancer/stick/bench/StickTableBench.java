package dev.sluice.balancer.stick.bench;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.stick.KeyType;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.TableSpec;
import dev.sluice.balancer.stick.TrackedCounters;
import dev.sluice.balancer.stick.Tracking;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stick-table work of one request under
 * {@code stick-table type ip size 100k expire 30s store http_req_rate(10s),conn_cur},
 * {@code http-request track-sc0 src} and {@code http-request deny if { sc0_http_req_rate gt N }}:
 * the hooks the exchange calls ({@link Tracking#requestStarted}, {@link Tracking#responseStatus},
 * {@link Tracking#requestEnded}), the track itself (key conversion, lookup or creation, {@code conn_cur}
 * up and down, {@code http_req_rate} counted) and the rate read by the condition. The sources come
 * from {@code clients} addresses in turn: 1 is a keep-alive client (the entry stays hot), 10,000 fit
 * the table, 1,000,000 overflow it so that new keys purge the oldest entries in batches.
 * Run with {@code scripts/bench/hotpath StickTableBench} ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled") // as the launcher runs it
public class StickTableBench {
    private static final int TABLE_SIZE = 100_000;
    private static final long RATE_PERIOD_MS = 10_000;

    @Param({"1", "10000", "1000000"})
    public int clients;

    private StickTable table;
    private EmbeddedChannel channel;
    private IpAddress[] sources;
    private int next;

    @Setup
    public void setUp() {
        TableSpec spec = new TableSpec("fe", KeyType.IP, 0, TABLE_SIZE, Duration.ofSeconds(30), false,
                Map.of(StickData.HTTP_REQ_RATE, RATE_PERIOD_MS, StickData.CONN_CUR, 0L));
        table = new StickTable(spec);
        channel = new EmbeddedChannel();
        sources = new IpAddress[clients];
        for (int i = 0; i < clients; i++) {
            sources[i] = IpAddress.ofV4(0x0a00_0000 + i * 7919); // distinct: an odd step is a bijection mod 2^32
        }
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** One request: counted, tracked, its rate read, answered 200, ended. */
    @Benchmark
    public long trackRequest() {
        IpAddress source = sources[next];
        next = next + 1 == sources.length ? 0 : next + 1;
        Tracking.requestStarted(channel);
        TrackedCounters counters = Tracking.counters(channel);
        if (!counters.trackRequest(0, table, table.key(source))) {
            throw new IllegalStateException("not tracked: " + source);
        }
        StickEntry entry = counters.tracked(0);
        long rate = entry.get(StickData.HTTP_REQ_RATE);
        Tracking.responseStatus(channel, 200);
        Tracking.requestEnded(channel);
        return rate;
    }
}
