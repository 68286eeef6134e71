package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"0,0", "10,10", "10ms,10", "1s,1000", "2m,120000", "1h,3600000", "1d,86400000", "1us,1",
        "1500us,2", "1000us,1", "2147483647,2147483647", "24d,2073600000"})
    void times(String text, long millis) throws ConfigException {
        assertEquals(Duration.ofMillis(millis), Units.time(text));
    }

    @Test
    void badTimes() {
        assertEquals("unexpected character 'x' in time '10x' (expected a number with an optional unit: us, ms, s, "
                + "m, h, d)", assertThrows(ConfigException.class, () -> Units.time("10x")).getMessage());
        assertEquals("'s' is not a valid time (expected a decimal number)",
                assertThrows(ConfigException.class, () -> Units.time("s")).getMessage());
        assertEquals("'-1' is not a valid time (expected a decimal number)",
                assertThrows(ConfigException.class, () -> Units.time("-1")).getMessage());
        assertEquals("timer overflow in '25d' (maximum value is 2147483647 ms or ~24.8 days)",
                assertThrows(ConfigException.class, () -> Units.time("25d")).getMessage());
        assertEquals("value '9999999999999999999999' is too large",
                assertThrows(ConfigException.class, () -> Units.time("9999999999999999999999")).getMessage());
        assertThrows(ConfigException.class, () -> Units.time(""));
        assertThrows(ConfigException.class, () -> Units.time("1 s"));
        assertThrows(ConfigException.class, () -> Units.time("1S"));
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({"0,0", "16384,16384", "16k,16384", "16K,16384", "1m,1048576", "1g,1073741824"})
    void sizes(String text, long bytes) throws ConfigException {
        assertEquals(bytes, Units.size(text));
    }

    @Test
    void badSizes() {
        assertEquals("unexpected character 'q' in size '10q' (expected a number with an optional unit: k, m, g)",
                assertThrows(ConfigException.class, () -> Units.size("10q")).getMessage());
        assertEquals("size '2g' is too large (maximum is 2147483647 bytes)",
                assertThrows(ConfigException.class, () -> Units.size("2g")).getMessage());
        assertThrows(ConfigException.class, () -> Units.size("k"));
        assertThrows(ConfigException.class, () -> Units.size("1kb"));
    }

    @Test
    void integers() throws ConfigException {
        assertEquals(42, Units.integer("42", "'x'", 0, 100));
        assertEquals("'x' must be between 1 and 64 (got 100)",
                assertThrows(ConfigException.class, () -> Units.integer("100", "'x'", 1, 64)).getMessage());
        assertEquals("'x' expects an integer between 1 and 64 (got '1.5')",
                assertThrows(ConfigException.class, () -> Units.integer("1.5", "'x'", 1, 64)).getMessage());
    }
}
