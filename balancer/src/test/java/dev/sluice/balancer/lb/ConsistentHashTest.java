package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsistentHashTest {
    private static final int KEYS = 10_000;
    private static final Balance URI_CONSISTENT =
            Balance.of(new Balance.Uri(false, 0, 0, false)).withHashType(HashType.CONSISTENT);

    private static int[] assign(ServerSet set) {
        LoadBalancer lb = set.newLoadBalancer();
        PickContext context = new PickContext();
        int[] owners = new int[KEYS];
        for (int k = 0; k < KEYS; k++) {
            owners[k] = lb.pick(context.reset().uri("/object/" + k)).id();
        }
        return owners;
    }

    @Test
    void twoIndependentBuildsAgreeOnEveryKeyWhateverTheOrder() {
        List<Candidate> servers = Servers.weighted(1, 2, 1, 3, 1);
        List<Candidate> reversed = new ArrayList<>(Servers.weighted(1, 2, 1, 3, 1));
        java.util.Collections.reverse(reversed);
        int[] a = assign(URI_CONSISTENT.snapshot(servers));
        int[] b = assign(URI_CONSISTENT.snapshot(reversed));
        for (int k = 0; k < KEYS; k++) {
            assertEquals(a[k], b[k], "key " + k);
        }
    }

    @Test
    void removingOneOfNMovesOnlyItsKeysAndReAddingRestoresThem() {
        int n = 5;
        List<Candidate> servers = Servers.weighted(1, 1, 1, 1, 1);
        ServerSet all = URI_CONSISTENT.snapshot(servers);
        int[] before = assign(all);
        List<Candidate> withoutThird = new ArrayList<>(servers);
        withoutThird.set(2, servers.get(2).withUsable(false));
        int[] during = assign(all.with(withoutThird));
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            if (before[k] != during[k]) {
                moved++;
                assertEquals(3, before[k], "only the removed server's keys move; key " + k);
            }
            assertTrue(during[k] != 3);
        }
        // about 1/N of the keys: the removed server's share, within the ring's unevenness
        assertTrue(moved > KEYS / n / 2 && moved < KEYS * 2 / n, "moved " + moved);
        int[] after = assign(all.with(servers));
        for (int k = 0; k < KEYS; k++) {
            assertEquals(before[k], after[k], "restored; key " + k);
        }
    }

    @Test
    void addingAServerTakesAboutItsShareFromTheOthers() {
        List<Candidate> four = Servers.weighted(1, 1, 1, 1);
        int[] before = assign(URI_CONSISTENT.snapshot(four));
        List<Candidate> five = new ArrayList<>(four);
        five.add(Candidate.of(5, "s5", 1));
        int[] after = assign(URI_CONSISTENT.snapshot(five));
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            if (before[k] != after[k]) {
                moved++;
                assertEquals(5, after[k], "keys only move to the new server; key " + k);
            }
        }
        assertTrue(moved > KEYS / 5 / 2 && moved < KEYS * 2 / 5, "moved " + moved);
    }

    @Test
    void sharesFollowWeights() {
        int[] owners = assign(URI_CONSISTENT.snapshot(Servers.weighted(1, 2, 4)));
        int[] counts = new int[3];
        for (int o : owners) {
            counts[o - 1]++;
        }
        // 16 points per unit of weight: shares come within about a fifth of 1/7, 2/7, 4/7
        assertTrue(Math.abs(counts[0] - KEYS / 7.0) < KEYS / 7.0 * 0.35, "s1 " + counts[0]);
        assertTrue(Math.abs(counts[1] - KEYS * 2 / 7.0) < KEYS * 2 / 7.0 * 0.25, "s2 " + counts[1]);
        assertTrue(Math.abs(counts[2] - KEYS * 4 / 7.0) < KEYS * 4 / 7.0 * 0.2, "s3 " + counts[2]);
    }

    @Test
    void raisingAWeightOnlyMovesKeysToThatServer() {
        List<Candidate> servers = Servers.weighted(1, 1, 1);
        ServerSet base = URI_CONSISTENT.snapshot(servers);
        int[] before = assign(base);
        int[] after = assign(base.with(List.of(servers.get(0), servers.get(1).withWeight(2), servers.get(2))));
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            if (before[k] != after[k]) {
                moved++;
                assertEquals(2, after[k], "key " + k);
            }
        }
        assertTrue(moved > 0);
    }

    @Test
    void ringPointsArePlacedByIdAsHaproxyDoes() {
        ConsistentRing ring = new ConsistentRing(new Candidate[] {Candidate.of(7, "x", 1), Candidate.of(2, "y", 2)});
        assertEquals(16 * 3, ring.size());
        List<Integer> expected = new ArrayList<>();
        for (int node = 0; node < 16; node++) {
            expected.add(HashFunction.avalanche(7 * 4096 + node));
        }
        for (int node = 0; node < 32; node++) {
            expected.add(HashFunction.avalanche(2 * 4096 + node));
        }
        expected.sort(Integer::compareUnsigned);
        for (int p = 0; p < ring.size(); p++) {
            assertEquals(expected.get(p), ring.key(p));
        }
        // the nearest point wins, the earlier one on a tie, and the ring wraps around
        for (int p = 0; p < ring.size(); p++) {
            assertEquals(p, ring.nearest(ring.key(p)));
            int next = ring.next(p);
            int midpoint = ring.key(p) + (ring.key(next) - ring.key(p)) / 2;
            assertEquals(p, ring.nearest(midpoint), "midpoint after " + p);
            assertEquals(next, ring.nearest(midpoint + 1 + ((ring.key(next) - ring.key(p)) & 1)));
        }
    }

    @Test
    void balanceFactorBoundsEachServersLoad() {
        int factor = 125;
        List<Candidate> servers = Servers.weighted(1, 1, 1, 1);
        ServerSet set = URI_CONSISTENT.withHashBalanceFactor(factor).snapshot(servers);
        LoadBalancer lb = set.newLoadBalancer();
        PickContext context = new PickContext();
        // every request has the same key: without the bound one server would take them all
        for (int i = 1; i <= 200; i++) {
            Candidate c = lb.pick(context.reset().uri("/hot"));
            Servers.load(c).started();
            int bound = (int) Math.ceil(i * factor / 100.0 / servers.size()) + 1;
            for (Candidate s : servers) {
                assertTrue(s.load().served() <= bound, s + " serves " + s.load().served() + " > " + bound);
            }
        }
        // the hot key's server fills up to its bound, then the next one on the ring, and so on
        long loaded = servers.stream().filter(s -> s.load().served() >= 200 * factor / 100 / 4 - 1).count();
        assertTrue(loaded >= 3, "at least three servers at their bound: " + servers);
        LoadBalancer unbounded = URI_CONSISTENT.snapshot(Servers.weighted(1, 1, 1, 1)).newLoadBalancer();
        Candidate hot = unbounded.pick(context.reset().uri("/hot"));
        for (int i = 0; i < 50; i++) {
            Servers.load(hot).started();
            assertSame(hot, unbounded.pick(context.reset().uri("/hot")));
        }
    }

    @Test
    void triedServerIsPassedOverForTheNextOnTheRing() {
        ServerSet set = URI_CONSISTENT.snapshot(Servers.weighted(1, 1, 1));
        LoadBalancer lb = set.newLoadBalancer();
        PickContext context = new PickContext();
        for (int k = 0; k < 200; k++) {
            Candidate first = lb.pick(context.reset().uri("/k" + k));
            Candidate retry = lb.pick(context.avoid(first));
            assertTrue(first != retry);
            Candidate again = lb.pick(new PickContext().uri("/k" + k).avoid(first));
            assertSame(retry, again, "the redispatch target is deterministic too");
        }
    }

    @Test
    void missingKeyFallsBackToRoundRobinOnTheRing() {
        LoadBalancer lb = Balance.of(new Balance.UrlParam("user")).withHashType(HashType.CONSISTENT)
                .snapshot(Servers.weighted(1, 1, 1)).newLoadBalancer();
        PickContext context = new PickContext();
        int[] counts = new int[3];
        for (int i = 0; i < 48 * 10; i++) {
            counts[lb.pick(context.reset().uri("/no/param")).id() - 1]++;
        }
        for (int c : counts) {
            assertEquals(160, c, "a walk over the ring visits 16 points per server per turn");
        }
    }

    @Test
    void onlyBackupLeftIsUsedForEveryKey() {
        List<Candidate> servers = List.of(
                Candidate.of(1, "a", 1).withUsable(false), Candidate.of(2, "b1", 1).asBackup(),
                Candidate.of(3, "b2", 1).asBackup());
        LoadBalancer lb = URI_CONSISTENT.snapshot(servers).newLoadBalancer();
        PickContext context = new PickContext();
        for (int k = 0; k < 100; k++) {
            assertEquals("b1", lb.pick(context.reset().uri("/" + k)).name());
        }
        LoadBalancer all = URI_CONSISTENT.withAllBackups(true).snapshot(servers).newLoadBalancer();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < 100; k++) {
            seen.add(all.pick(context.reset().uri("/" + k)).name());
        }
        assertEquals(java.util.Set.of("b1", "b2"), seen);
    }
}
