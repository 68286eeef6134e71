package dev.sluice.balancer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CookieDatesTest {

    private static String encode(long seconds) {
        StringBuilder out = new StringBuilder();
        CookieDates.append(out, seconds);
        return out.toString();
    }

    @Test
    void datesAreFiveBase64DigitsOfFourSecondUnitsRoundedUp() {
        // 1_700_000_000 s: (1_700_000_000 + 3) >> 2 = 425_000_000
        // in 6-bit groups of 30 bits: 25 21 15 49 0 -> Z V P x A
        assertEquals("ZVPxA", encode(1_700_000_000L));
        assertEquals(encode(1_700_000_000L), encode(1_699_999_997L));
        assertEquals("AAAAB", encode(1));
        assertEquals("AAAAB", encode(4));
        assertEquals("AAAAC", encode(5));
    }

    @Test
    void decodingGivesTheQuantizedDate() {
        assertEquals(1_700_000_000L, CookieDates.decode("ZVPxA", 0));
        assertEquals(CookieDates.quantize(1_699_999_999L), CookieDates.decode(encode(1_699_999_999L), 0));
        assertEquals(8, CookieDates.decode("x|AAAAC", 2));
    }

    @Test
    void malformedOrShortDatesReadAsAbsent() {
        assertEquals(0, CookieDates.decode("ZVTx", 0));
        assertEquals(0, CookieDates.decode("ZV-xA", 0));
        assertEquals(0, CookieDates.decode("AAAAA", 0));
        assertEquals(0, CookieDates.decode("ab", 5));
    }

    @Test
    void exactAppendKeepsAQuantizedDate() {
        StringBuilder out = new StringBuilder();
        CookieDates.appendExact(out, 1_700_000_000L);
        assertEquals("ZVPxA", out.toString());
    }
}
