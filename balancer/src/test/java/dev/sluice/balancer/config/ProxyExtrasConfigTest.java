package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.RuntimePlan;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code option nolinger} and {@code http-send-name-header} in a configuration: what the plans get. */
class ProxyExtrasConfigTest {

    private static final String HEAD = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            """;
    private static final String REST = """
            frontend fe
              bind 127.0.0.1:8081
              default_backend be
            backend be
              server s 127.0.0.1:8080
            """;

    private static RuntimePlan plan(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan();
    }

    @Test
    void noLingerIsInheritedAndEachSideMayTurnItOff() {
        RuntimePlan plan = plan(HEAD + "  option nolinger\n" + REST + "  no option nolinger\n");
        assertTrue(plan.frontends().getFirst().extras().noLinger());
        assertFalse(plan.backends().getFirst().extras().noLinger());
        assertFalse(plan(HEAD + REST).frontends().getFirst().extras().noLinger());
    }

    @Test
    void sendNameHeaderReachesTheBackend() {
        RuntimePlan plan = plan(HEAD + "  http-send-name-header X-Default\n" + REST + "  http-send-name-header X-S\n");
        assertEquals("X-S", plan.backends().getFirst().extras().sendNameHeader());
        assertNull(plan(HEAD + REST).backends().getFirst().extras().sendNameHeader());
    }

    @Test
    void sendNameHeaderNeedsAName() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + REST + "  http-send-name-header\n", Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:11") && result.render().contains("requires a header string"),
                result.render());
    }

    @Test
    void noLingerTakesNoArgument() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + REST + "  option nolinger now\n", Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:11"), result.render());
    }
}
