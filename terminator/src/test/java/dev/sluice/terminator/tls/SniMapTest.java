package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SniMapTest {
    private static SniMap<String> map() {
        SniMap.Builder<String> builder = SniMap.builder();
        builder.putIfAbsent("www.example.com", "exact");
        builder.putIfAbsent("*.example.com", "wild");
        builder.putIfAbsent("Example.ORG", "org");
        return builder.build();
    }

    @Test
    void exactNameWinsOverWildcard() {
        assertEquals("exact", map().lookup("www.example.com"));
    }

    @Test
    void wildcardMatchesOneLabel() {
        assertEquals("wild", map().lookup("api.example.com"));
    }

    @Test
    void wildcardDoesNotMatchTheBareDomainNorTwoLabels() {
        assertNull(map().lookup("example.com"));
        assertNull(map().lookup("a.b.example.com"));
    }

    @Test
    void lookupIgnoresCaseAndATrailingDot() {
        assertEquals("org", map().lookup("EXAMPLE.org."));
        assertEquals("wild", map().lookup("API.Example.Com"));
    }

    @Test
    void unknownAndEmptyNamesMatchNothing() {
        assertNull(map().lookup("example.net"));
        assertNull(map().lookup(""));
        assertNull(map().lookup(null));
        assertNull(map().lookup("."));
    }

    @Test
    void firstValueForANameWins() {
        SniMap.Builder<String> builder = SniMap.builder();
        assertTrue(builder.putIfAbsent("a.example", "first"));
        assertFalse(builder.putIfAbsent("A.example", "second"));
        assertEquals("first", builder.build().lookup("a.example"));
    }

    @Test
    void partialWildcardsAreRefused() {
        SniMap.Builder<String> builder = SniMap.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.putIfAbsent("w*.example.com", "x"));
        assertThrows(IllegalArgumentException.class, () -> builder.putIfAbsent("*.*.example.com", "x"));
    }
}
