package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.CompressionAlgorithm;
import dev.sluice.balancer.runtime.CompressionPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code compression algo|type|offload} and {@code tune.comp.maxlevel} in a configuration: what the
 * plans get (HAProxy's order and inheritance), and each bad line refused at its file:line with
 * HAProxy 2.6's message.
 */
class CompressionConfigTest {

    private static final String HEAD = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            """;
    private static final String FRONT = """
            frontend fe
              bind 127.0.0.1:8081
              default_backend be
            """;
    private static final String BACK = """
            backend be
              server s 127.0.0.1:8080
            """;

    private static RuntimePlan plan(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan();
    }

    private static CompressionPlan front(RuntimePlan plan) {
        return plan.frontends().getFirst().tuning().compression();
    }

    private static CompressionPlan back(RuntimePlan plan) {
        return plan.backends().getFirst().tuning().compression();
    }

    @Test
    void noCompressionLineLeavesThePlansEmpty() {
        RuntimePlan plan = plan(HEAD + FRONT + BACK);
        assertEquals(CompressionPlan.NONE, front(plan));
        assertEquals(CompressionPlan.NONE, back(plan));
    }

    @Test
    void algorithmsAreKeptInHaproxysOrderLastWrittenFirst() {
        RuntimePlan plan = plan(HEAD + FRONT + """
                  compression algo gzip deflate
                  compression algo raw-deflate identity
                  compression type text/html text/plain
                  compression offload
                """ + BACK);
        CompressionPlan compression = front(plan);
        assertEquals(List.of(CompressionAlgorithm.IDENTITY, CompressionAlgorithm.RAW_DEFLATE,
                CompressionAlgorithm.DEFLATE, CompressionAlgorithm.GZIP), compression.algorithms());
        assertEquals(List.of("text/plain", "text/html"), compression.types());
        assertTrue(compression.offload());
        assertEquals(CompressionPlan.DEFAULT_LEVEL, compression.level());
        assertEquals(CompressionPlan.NONE, back(plan));
    }

    @Test
    void aProxyPutsItsOwnAlgorithmsInFrontOfItsDefaults() {
        RuntimePlan plan = plan(HEAD + """
                  compression algo deflate
                  compression type text/plain
                """ + FRONT + "  compression algo gzip\n" + BACK + "  compression type application/json\n");
        assertEquals(List.of(CompressionAlgorithm.GZIP, CompressionAlgorithm.DEFLATE), front(plan).algorithms());
        assertEquals(List.of("text/plain"), front(plan).types());
        assertEquals(List.of(CompressionAlgorithm.DEFLATE), back(plan).algorithms());
        assertEquals(List.of("application/json", "text/plain"), back(plan).types());
    }

    @Test
    void offloadInDefaultsIsIgnoredWithAWarningAtItsLine() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "  compression algo gzip\n  compression offload\n"
                + FRONT + BACK, Map.of());
        assertTrue(result.isValid(), result.render());
        assertEquals(1, result.warnings().size(), result.render());
        assertTrue(result.render().contains("t.cfg:7") && result.render().contains("'offload' ignored in 'defaults' "
                + "section"), result.render());
        RuntimePlan plan = Compiler.compile(result.config().orElseThrow()).plan();
        assertFalse(front(plan).offload());
        assertEquals(List.of(CompressionAlgorithm.GZIP), front(plan).algorithms());
    }

    @Test
    void theGlobalLevelReachesEveryProxy() {
        RuntimePlan plan = plan("global\n  tune.comp.maxlevel 6\n" + HEAD + FRONT + "  compression algo gzip\n" + BACK);
        assertEquals(6, front(plan).level());
        assertEquals(6, back(plan).level());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "compression|'compression' expects 'algo', 'type' or 'offload'",
        "compression foo|'compression' expects 'algo', 'type' or 'offload'",
        "compression algo|'compression' expects <algorithm>.",
        "compression algo gzip br|'compression' : 'br' is not a supported algorithm",
        "compression type|'compression' expects <type>.",
        "compression algo-req gzip|'compression algo-req' came with HAProxy 2.8",
        "compression direction both|'compression direction' came with HAProxy 2.8",
        "compression type-res text/html|'compression type-res' came with HAProxy 2.8",
    })
    void badLinesAreRefusedAtTheirLine(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + FRONT + "  " + line + "\n" + BACK, Map.of());
        assertFalse(result.isValid(), line);
        String rendered = result.render();
        assertTrue(rendered.contains("t.cfg:9") && rendered.contains(message), rendered);
    }

    @Test
    void theDefaultLimitsAreAccepted() {
        RuntimePlan plan = plan("global\n  maxcomprate 0\n  maxcompcpuusage 100\n" + HEAD + FRONT
                + "  compression algo gzip\n" + BACK);
        assertEquals(List.of(CompressionAlgorithm.GZIP), front(plan).algorithms());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tune.comp.maxlevel|'tune.comp.maxlevel' expects a numeric value between 1 and 9",
        "tune.comp.maxlevel 0|'tune.comp.maxlevel' expects a numeric value between 1 and 9",
        "tune.comp.maxlevel 10|'tune.comp.maxlevel' expects a numeric value between 1 and 9",
        "tune.comp.maxlevel x|'tune.comp.maxlevel' expects a numeric value between 1 and 9",
        "maxcompcpuusage 50|'maxcompcpuusage' below 100 is not supported yet (only 100, no limit)",
        "maxcompcpuusage 101|'maxcompcpuusage' expects an integer argument between 0 and 100.",
        "maxcompcpuusage|'maxcompcpuusage' expects an integer argument between 0 and 100.",
        "maxcomprate 100|'maxcomprate' with a limit is not supported yet (only 0, no limit)",
        "maxcomprate -1|'maxcomprate' expects an integer argument in kb/s.",
    })
    void badGlobalLinesAreRefusedAtTheirLine(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", "global\n  " + line + "\n" + HEAD + FRONT + BACK, Map.of());
        assertFalse(result.isValid(), line);
        String rendered = result.render();
        assertTrue(rendered.contains("t.cfg:2") && rendered.contains(message), rendered);
    }
}
