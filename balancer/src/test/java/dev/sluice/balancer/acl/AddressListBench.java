package dev.sluice.balancer.acl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A hand-run measurement (not a test; JMH is not a balancer dependency): compile time and ns per
 * {@code src -f FILE} test with 100,000 networks, 80 % IPv4 and 20 % IPv6. Run after
 * {@code mvn -pl balancer -am test-compile} with
 * {@code java -cp balancer/target/classes:balancer/target/test-classes dev.sluice.balancer.acl.AddressListBench}.
 */
public final class AddressListBench {

    private static final int NETWORKS = 100_000;
    private static final int ROUNDS = 8;
    private static final int TESTS_PER_ROUND = 5_000_000;

    private AddressListBench() {
    }

    public static void main(String[] args) throws IOException {
        Random random = new Random(1);
        List<String> lines = new ArrayList<>(NETWORKS);
        for (int i = 0; i < NETWORKS; i++) {
            lines.add(i % 5 == 4
                    ? "2001:db8:" + Integer.toHexString(random.nextInt(65536)) + ":" + Integer.toHexString(random.nextInt(65536))
                            + "::/64"
                    : "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "/"
                            + (24 + random.nextInt(9)));
        }
        Path dir = Files.createTempDirectory("sluice-acl-bench");
        Path file = Files.write(dir.resolve("networks.lst"), lines);
        long start = System.nanoTime();
        AclScope scope = new AclCompiler(dir, ProxyCatalog.ANY).scope("bench");
        scope.define(List.of("listed", "src", "-f", "networks.lst"));
        Condition listed = scope.condition(List.of("if", "listed"));
        System.out.printf("compiled %,d networks in %.1f ms%n", NETWORKS, (System.nanoTime() - start) / 1e6);
        IpAddress[] probes = new IpAddress[4096];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = i % 2 == 0 ? IpAddress.ofV4(0x0a00_0000 | random.nextInt(1 << 24))
                    : IpAddress.ofV6(0x2001_0db8_0000_0000L | (random.nextLong() & 0xffff_ffffL), random.nextLong());
        }
        TestRequest request = TestRequest.get("/");
        long hits = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < TESTS_PER_ROUND; i++) {
                request.source = probes[i & (probes.length - 1)];
                if (listed.test(request)) {
                    hits++;
                }
            }
            System.out.printf("round %d: %.1f ns per test (%d hits so far)%n", round,
                    (System.nanoTime() - t0) / (double) TESTS_PER_ROUND, hits);
        }
        Files.delete(file);
        Files.delete(dir);
    }
}
