package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cache} sections and the {@code cache-use} / {@code cache-store} lines that name them; errors at file:line. */
class CacheConfigTest {

    private static final String HEAD = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            """;

    private static String config(String cacheBody, String rules) {
        return HEAD + "cache c1\n" + cacheBody + "frontend f\n  bind 127.0.0.1:18999\n" + rules
                + "  default_backend b\nbackend b\n  server s 127.0.0.1:9001\n";
    }

    private static LoadResult load(String text) {
        return ConfigLoader.parse("t.cfg", text, Map.of());
    }

    @Test
    void aCacheSectionAndItsRulesCompile() {
        LoadResult result = load(config("""
                  total-max-size 4
                  max-object-size 10000
                  max-age 240
                  process-vary on
                  max-secondary-entries 5
                """, "  http-request cache-use c1\n  http-response cache-store c1 if { status 200 }\n"));
        assertTrue(result.isValid(), result.render());
        Compiler.compile(result.config().orElseThrow()); // the rules reach the runtime plan
    }

    @Test
    void theSizeIsRequired() {
        LoadResult result = load(config("  max-age 10\n", ""));
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:6") && result.render().contains("Size not specified for cache 'c1'"),
                result.render());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "  total-max-size 5000|t.cfg:7|\"total-max-size\" (5000) must not be greater than 4095",
        "  total-max-size 4\\n  max-object-size 99999999|t.cfg:8|\"max-object-size\" is limited to an half of \"total-max-size\" => 2097152",
        "  total-max-size 4\\n  process-vary maybe|t.cfg:8|'process-vary' expects \"on\" or \"off\"",
        "  total-max-size 4\\n  max-secondary-entries 0|t.cfg:8|max-secondary-entries wrong value '0'",
        "  total-max-size 4\\n  max-age soon|t.cfg:8|'max-age' expects a positive integer",
        "  total-max-size 4\\n  bogus 1|t.cfg:8|unknown keyword 'bogus' in 'cache' section",
    })
    void badSectionLinesAreRefusedAtTheirLine(String body, String where, String message) {
        LoadResult result = load(config(body.replace("\\n", "\n") + "\n", ""));
        assertFalse(result.isValid());
        String text = result.render();
        assertTrue(text.contains(where) && text.contains(message), text);
    }

    @Test
    void aDuplicateNameIsRefused() {
        LoadResult result = load(HEAD + "cache c1\n  total-max-size 1\ncache c1\n  total-max-size 2\n");
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:8") && result.render().contains("Duplicate cache name 'c1'."),
                result.render());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "  http-request cache-use nope|unable to find the cache 'nope'",
        "  http-response cache-store|expects a cache name",
        "  http-request cache-use c1 c1|unexpected argument 'c1'",
        "  http-request cache-store c1|unknown action",
        "  http-response cache-use c1|supported in 'http-request' only",
        "  http-after-response cache-store c1|'http-after-response' only rewrites the response",
    })
    void badRulesAreRefusedAtTheirLine(String rule, String message) {
        LoadResult result = load(config("  total-max-size 1\n", rule + "\n"));
        assertFalse(result.isValid());
        String text = result.render();
        assertTrue(text.contains("t.cfg:10") && text.contains(message), text);
    }
}
