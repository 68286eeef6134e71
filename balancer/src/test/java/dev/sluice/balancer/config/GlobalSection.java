package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.model.ProcessSettings;
import java.util.Map;

/**
 * Loads a configuration whose {@code global} section holds the lines under test, on line 2 and
 * after, of a file named {@code t.cfg}, followed by a minimal valid proxy: for the tests of the
 * {@code global} keywords.
 */
final class GlobalSection {
    private static final String TAIL = """
            defaults
                mode http
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            frontend f
                bind 127.0.0.1:8080
                http-request return status 200
            """;

    private GlobalSection() {
    }

    static LoadResult load(String globalLines) {
        return load(globalLines, Map.of());
    }

    static LoadResult load(String globalLines, Map<String, String> environment) {
        return ConfigLoader.parse("t.cfg", "global\n" + globalLines + "\n" + TAIL, environment);
    }

    /** The minimal proxy that follows the global section, for tests that write their own files. */
    static String tail() {
        return TAIL;
    }

    /** The process settings of valid lines; fails with the diagnostics otherwise. */
    static ProcessSettings settings(String globalLines, Map<String, String> environment) {
        LoadResult result = load(globalLines, environment);
        assertTrue(result.isValid(), result.render());
        return result.config().orElseThrow().global().process();
    }

    /** The first alert of lines that must be refused. */
    static String alert(String globalLines) {
        LoadResult result = load(globalLines);
        assertFalse(result.isValid(), "expected a refusal of: " + globalLines);
        return result.alerts().get(0).toString();
    }
}
