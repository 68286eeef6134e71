package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void positionalIdsSkipExplicitOnes() {
        assertArrayEquals(new int[] {1, 2, 3}, ServerIds.assign(new int[] {0, 0, 0}));
        assertArrayEquals(new int[] {1, 2, 7, 4, 3}, ServerIds.assign(new int[] {0, 0, 7, 0, 3}));
        // As haproxy 2.6 numbers them (its stats' sid column): the cursor moves past explicit ids too.
        assertArrayEquals(new int[] {2, 3, 4}, ServerIds.assign(new int[] {2, 0, 0}));
        assertArrayEquals(new int[] {1, 2, 9, 4}, ServerIds.assign(new int[] {0, 0, 9, 0}));
        assertArrayEquals(new int[] {2, 1, 4}, ServerIds.assign(new int[] {0, 1, 0}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerIds.assign(new int[] {4, 4}))
                .getMessage().contains("server 2: id 4 is already used"));
        assertThrows(IllegalArgumentException.class, () -> ServerIds.assign(new int[] {-1}));
    }

    @Test
    void candidatesAreCheckedAtConstruction() {
        assertEquals("weight: 257 (expected: 0..256)",
                assertThrows(IllegalArgumentException.class, () -> Candidate.of(1, "a", 257)).getMessage());
        assertEquals("id: 0 (expected: >= 1)",
                assertThrows(IllegalArgumentException.class, () -> Candidate.of(0, "a", 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Candidate.of(1, "", 1));
        assertThrows(NullPointerException.class, () -> new Candidate(1, "a", 1, false, true, null));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Balance.ROUND_ROBIN.snapshot(List.of(Candidate.of(1, "a", 1), Candidate.of(1, "b", 1))))
                .getMessage().contains("server b: id 1 is already used"));
    }

    @Test
    void balanceArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Balance.Random(0));
        assertThrows(IllegalArgumentException.class, () -> new Balance.Uri(false, -1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Balance.Uri(false, 0, -2, false));
        assertThrows(IllegalArgumentException.class, () -> new Balance.UrlParam(""));
        assertThrows(IllegalArgumentException.class, () -> new Balance.Header("", false));
        assertEquals("hashBalanceFactor: 100 (expected: 0 for off, or > 100)",
                assertThrows(IllegalArgumentException.class,
                        () -> Balance.ROUND_ROBIN.withHashBalanceFactor(100)).getMessage());
    }

    @Test
    void pickContextRejectsMalformedInputs() {
        PickContext context = new PickContext();
        assertThrows(IllegalArgumentException.class, () -> context.sourceAddress(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> context.key(new byte[2], 3));
        context.avoidId(1).avoidId(2).avoidId(3).avoidId(4).avoidId(5).avoidId(5);
        assertTrue(context.isAvoided(5) && context.isAvoided(1));
        context.reset();
        assertTrue(!context.isAvoided(1));
    }

    @Test
    void loadCountersRefuseImpossibleStates() {
        LoadCounters counters = new LoadCounters(2);
        assertThrows(IllegalStateException.class, counters::ended);
        counters.started();
        counters.started();
        assertTrue(counters.isFull());
        counters.ended();
        assertTrue(!counters.isFull());
        counters.setQueued(1);
        assertTrue(counters.isFull(), "others already wait");
        assertThrows(IllegalArgumentException.class, () -> counters.setMaxConnections(-1));
    }
}
