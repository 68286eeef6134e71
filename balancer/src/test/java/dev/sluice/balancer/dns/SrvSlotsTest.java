package dev.sluice.balancer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which SRV record fills which template server, and when a missing record frees its server. */
class SrvSlotsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final DnsAnswer.SrvRecord A = new DnsAnswer.SrvRecord("a.test.", 8080, 10, 0);
    private static final DnsAnswer.SrvRecord B = new DnsAnswer.SrvRecord("B.test", 8081, 300, 0);
    private static final DnsAnswer.SrvRecord C = new DnsAnswer.SrvRecord("c.test", 8082, 0, 0);

    private static List<SrvSlots.Slot> free(int n) {
        return java.util.Collections.nCopies(n, SrvSlots.Slot.FREE);
    }

    private static List<String> targets(List<SrvSlots.Slot> slots) {
        return slots.stream().map(s -> s.free() ? "-" : s.target() + ":" + s.port()).toList();
    }

    @Test
    void recordsFillFreeServersInOrder() {
        List<SrvSlots.Slot> slots = SrvSlots.apply(free(3), List.of(A, B), 0, Duration.ZERO);
        assertEquals(List.of("a.test:8080", "b.test:8081", "-"), targets(slots));
        assertEquals(300, slots.get(1).weight());
    }

    @Test
    void serversKeepTheirRecordWhenTheOrderChanges() {
        List<SrvSlots.Slot> slots = SrvSlots.apply(free(3), List.of(A, B), 0, Duration.ZERO);
        slots = SrvSlots.apply(slots, List.of(C, B, A), SECOND, Duration.ZERO);
        assertEquals(List.of("a.test:8080", "b.test:8081", "c.test:8082"), targets(slots));
    }

    @Test
    void aMissingRecordFreesItsServerAfterHoldObsolete() {
        List<SrvSlots.Slot> slots = SrvSlots.apply(free(2), List.of(A, B), 0, Duration.ofSeconds(2));
        slots = SrvSlots.apply(slots, List.of(B), SECOND, Duration.ofSeconds(2));
        assertEquals(List.of("a.test:8080", "b.test:8081"), targets(slots), "still within hold obsolete");
        slots = SrvSlots.apply(slots, List.of(B), 2 * SECOND, Duration.ofSeconds(2));
        assertEquals(List.of("-", "b.test:8081"), targets(slots));
        slots = SrvSlots.apply(slots, List.of(B, C), 3 * SECOND, Duration.ofSeconds(2));
        assertEquals(List.of("c.test:8082", "b.test:8081"), targets(slots), "a new record takes the freed server");
    }

    @Test
    void recordsBeyondTheTemplateAreNotServed() {
        List<SrvSlots.Slot> slots = SrvSlots.apply(free(1), List.of(A, B, C), 0, Duration.ZERO);
        assertEquals(List.of("a.test:8080"), targets(slots));
    }

    @Test
    void weightsMapAsHaproxy() {
        assertEquals(0, new DnsAnswer.SrvRecord("x", 1, 0, 0).serverWeight());
        assertEquals(1, new DnsAnswer.SrvRecord("x", 1, 10, 0).serverWeight());
        assertEquals(2, new DnsAnswer.SrvRecord("x", 1, 300, 0).serverWeight());
        assertEquals(4, new DnsAnswer.SrvRecord("x", 1, 1024, 0).serverWeight());
        assertEquals(256, new DnsAnswer.SrvRecord("x", 1, 65_535, 0).serverWeight());
        assertTrue(SrvSlots.Slot.FREE.free());
    }
}
