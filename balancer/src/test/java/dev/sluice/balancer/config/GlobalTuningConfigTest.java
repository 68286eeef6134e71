package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.GlobalTuning;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tune.http.maxhdr}, {@code tune.rcvbuf.*} and {@code tune.sndbuf.*}: what the plan gets, and bad lines. */
class GlobalTuningConfigTest {

    private static final String REST = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            frontend fe
              bind 127.0.0.1:8081
              default_backend be
            backend be
              server s 127.0.0.1:8080
            """;

    private static GlobalTuning tuning(String global) {
        LoadResult result = ConfigLoader.parse("t.cfg", "global\n" + global + REST, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan().global().tuning();
    }

    @Test
    void defaultsAreHaproxys() {
        assertEquals(GlobalTuning.DEFAULTS, tuning(""));
        assertEquals(100, GlobalTuning.DEFAULTS.maxHeaders());
    }

    @Test
    void valuesReachThePlan() {
        GlobalTuning tuning = tuning("""
                  tune.http.maxhdr 20
                  tune.rcvbuf.client 1000
                  tune.rcvbuf.server 2000
                  tune.sndbuf.client 3000
                  tune.sndbuf.server 4000
                """);
        assertEquals(new GlobalTuning(20, 1000, 2000, 3000, 4000), tuning);
        assertEquals(19, tuning.maxHeaders());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tune.http.maxhdr 1|'tune.http.maxhdr'",
        "tune.http.maxhdr 32768|'tune.http.maxhdr'",
        "tune.http.maxhdr many|'tune.http.maxhdr'",
        "tune.rcvbuf.client 0|'tune.rcvbuf.client'",
        "tune.sndbuf.server -5|'tune.sndbuf.server'",
        "tune.rcvbuf.server|'tune.rcvbuf.server' expects",
    })
    void badLinesAreRefusedAtTheirLine(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", "global\n  " + line + "\n" + REST, Map.of());
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:2") && result.render().contains(message), result.render());
    }

    @Test
    void ratesReachThePlans() {
        GlobalTuning tuning = tuning("  maxconnrate 100\n  maxsessrate 50\n");
        assertEquals(100, tuning.maxConnRate());
        assertEquals(50, tuning.maxSessRate());
        LoadResult result = ConfigLoader.parse("t.cfg", REST.replace("  default_backend be\n",
                "  rate-limit sessions 7\n  default_backend be\n"), Map.of());
        assertTrue(result.isValid(), result.render());
        assertEquals(7, Compiler.compile(result.config().orElseThrow()).plan().frontends().getFirst().extras()
                .sessionRate());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rate-limit connections 5|'rate-limit' expects 'sessions'",
        "rate-limit sessions -1|'rate-limit sessions'",
        "rate-limit sessions|expects 2 arguments",
    })
    void badRateLimitLinesAreRefusedAtTheirLine(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", REST.replace("  default_backend be\n",
                "  " + line + "\n  default_backend be\n"), Map.of());
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:8") && result.render().contains(message), result.render());
    }
}
