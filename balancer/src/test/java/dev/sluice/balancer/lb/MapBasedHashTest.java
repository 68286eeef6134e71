package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class MapBasedHashTest {

    @Test
    void hashModuloTableSizePicksTheEntry() {
        // weights 3 and 1: table s1 s1 s1 s2; sdbm("/a") = 3083250 = 4 * 770812 + 2 -> slot 2 -> s1;
        // sdbm("/") = 47 -> slot 3 -> s2
        LoadBalancer lb = Balance.of(new Balance.Uri(false, 0, 0, false))
                .snapshot(Servers.weighted(3, 1)).newLoadBalancer();
        PickContext context = new PickContext();
        assertEquals("s1", lb.pick(context.reset().uri("/a")).name());
        assertEquals("s2", lb.pick(context.reset().uri("/")).name());
        assertEquals("s2", lb.pick(context.reset().uri("/?q=1")).name(), "the query is not hashed");
    }

    @Test
    void sourceHashXorsTheAddressWords() {
        LoadBalancer lb = Balance.of(new Balance.Source()).snapshot(Servers.weighted(1, 1, 1)).newLoadBalancer();
        PickContext context = new PickContext();
        // 10.0.0.5 = 0x0A000005 = 167772165 = 3 * 55924055 -> slot 0
        assertEquals("s1", lb.pick(context.reset().sourceAddress(new byte[] {10, 0, 0, 5})).name());
        // 10.0.0.6 -> 167772166 % 3 = 1
        assertEquals("s2", lb.pick(context.reset().sourceAddress(new byte[] {10, 0, 0, 6})).name());
        byte[] v6 = new byte[16];
        v6[15] = 2; // ::2 -> 2 % 3
        assertEquals("s3", lb.pick(context.reset().sourceAddress(v6)).name());
    }

    @Test
    void avalancheChangesTheSlot() {
        Balance plain = Balance.of(new Balance.Hash("req.hdr(x-key)"));
        Balance mixed = plain.withHashType(new HashType(HashType.Method.MAP_BASED, HashFunction.SDBM, true));
        List<Candidate> servers = Servers.weighted(1, 1, 1, 1, 1, 1, 1);
        PickContext context = new PickContext().key("/abc");
        // sdbm("/abc") = 3135654771 = 7 * 447950681 + 4 -> s5; with avalanche 2611440265 = 7 * 373062895 -> s1
        assertEquals("s5", plain.snapshot(servers).newLoadBalancer().pick(context).name());
        assertEquals("s1", mixed.snapshot(servers).newLoadBalancer().pick(context).name());
        // sdbm("/ab") = 394653936 = 7 * 56379133 + 5 -> s6; with avalanche 396286260 = 7 * 56612322 + 6 -> s7
        context.key("/ab");
        assertEquals("s6", plain.snapshot(servers).newLoadBalancer().pick(context).name());
        assertEquals("s7", mixed.snapshot(servers).newLoadBalancer().pick(context).name());
    }

    @Test
    void missingKeyFallsBackToTheMapsRoundRobin() {
        LoadBalancer lb = Balance.of(new Balance.Header("host", false))
                .snapshot(Servers.weighted(3, 1)).newLoadBalancer();
        PickContext context = new PickContext();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(lb.pick(context.reset().headerValue(i % 2 == 0 ? null : "")).name()).append(' ');
        }
        assertEquals("s1 s1 s1 s2 s1 s1 s1 s2", order.toString().trim());
    }

    @Test
    void triedServerMovesToTheNextTableEntry() {
        LoadBalancer lb = Balance.of(new Balance.Uri(false, 0, 0, false))
                .snapshot(Servers.weighted(1, 1, 1)).newLoadBalancer();
        PickContext context = new PickContext().uri("/abc");
        Candidate first = lb.pick(context);
        Candidate retry = lb.pick(context.avoid(first));
        assertNotEquals(first, retry);
        assertEquals((first.id() % 3) + 1, retry.id(), "the next entry of the table");
    }

    @Test
    void hashedServerIsKeptEvenWhenFull() {
        List<Candidate> servers = List.of(
                new Candidate(1, "a", 1, false, true, new LoadCounters(1).setServed(1)),
                new Candidate(2, "b", 1, false, true, new LoadCounters(1).setServed(1)));
        LoadBalancer lb = Balance.of(new Balance.Uri(false, 0, 0, false)).snapshot(servers).newLoadBalancer();
        Candidate c = lb.pick(new PickContext().uri("/a"));
        assertSame(servers.get(0), c, "3083250 % 2 = 0");
        assertEquals(true, c.load().isFull(), "the caller queues on it");
    }
}
