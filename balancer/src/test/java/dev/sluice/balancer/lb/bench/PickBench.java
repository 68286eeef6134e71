package dev.sluice.balancer.lb.bench;

import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.lb.Candidate;
import dev.sluice.balancer.lb.HashType;
import dev.sluice.balancer.lb.LoadBalancer;
import dev.sluice.balancer.lb.LoadCounters;
import dev.sluice.balancer.lb.PickContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * Cost of one {@link LoadBalancer#pick} per algorithm over a farm of servers with uneven weights and loads;
 * run with {@code scripts/bench/lb} ({@code -prof gc} shows the allocation per pick, expected 0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PickBench {
    private static final int KEYS = 1024;

    @Param({"roundrobin", "static-rr", "leastconn", "first", "random", "uri-consistent", "uri-map"})
    public String algorithm;

    @Param({"50"})
    public int servers;

    private LoadBalancer balancer;
    private final PickContext context = new PickContext();
    private final String[] uris = new String[KEYS];
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        List<Candidate> farm = new ArrayList<>();
        for (int i = 1; i <= servers; i++) {
            LoadCounters load = new LoadCounters(algorithm.equals("first") ? 20 : 0)
                    .setServed(algorithm.equals("first") && i < servers / 2 ? 20 : random.nextInt(0, 20));
            farm.add(new Candidate(i, "s" + i, random.nextInt(1, 5), false, true, load));
        }
        Balance balance = switch (algorithm) {
            case "roundrobin" -> Balance.ROUND_ROBIN;
            case "static-rr" -> Balance.of(new Balance.StaticRoundRobin());
            case "leastconn" -> Balance.of(new Balance.LeastConn());
            case "first" -> Balance.of(new Balance.First());
            case "random" -> Balance.of(new Balance.Random(Balance.Random.DEFAULT_DRAWS))
                    .withHashType(HashType.CONSISTENT);
            case "uri-consistent" -> Balance.of(new Balance.Uri(false, 0, 0, false)).withHashType(HashType.CONSISTENT);
            case "uri-map" -> Balance.of(new Balance.Uri(false, 0, 0, false));
            default -> throw new IllegalArgumentException(algorithm);
        };
        balancer = balance.snapshot(farm).newLoadBalancer(new SplittableRandom(2), null);
        for (int k = 0; k < KEYS; k++) {
            uris[k] = "/static/assets/" + k + "/image-" + (k * 7919) + ".png?v=3";
        }
    }

    @Benchmark
    public Candidate pick() {
        context.uri(uris[next++ & (KEYS - 1)]);
        return balancer.pick(context);
    }
}
