package dev.sluice.balancer.lb.bench;

import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.lb.Candidate;
import dev.sluice.balancer.lb.HashType;
import dev.sluice.balancer.lb.ServerSet;
import java.util.ArrayList;
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
 * Cost of rebuilding a {@link ServerSet} after a change (a server going down, a slowstart step): the ring of
 * consistent hashing and the map of map-based hashing are rebuilt, not edited.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SnapshotBench {
    @Param({"consistent", "map-based"})
    public String hashType;

    @Param({"1", "100"})
    public int weight;

    private Balance balance;
    private final List<Candidate> servers = new ArrayList<>();

    @Setup
    public void setUp() {
        balance = Balance.of(new Balance.Uri(false, 0, 0, false))
                .withHashType(hashType.equals("consistent") ? HashType.CONSISTENT : HashType.DEFAULT);
        for (int i = 1; i <= 50; i++) {
            // one server of a different weight so that the map cannot be reduced by a common divisor
            servers.add(Candidate.of(i, "s" + i, i == 50 ? weight + 1 : weight));
        }
    }

    @Benchmark
    public ServerSet rebuild() {
        return balance.snapshot(servers);
    }
}
