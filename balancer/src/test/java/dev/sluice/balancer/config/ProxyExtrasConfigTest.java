package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.RuntimePlan;
import java.util.List;
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

    @Test
    void aDisabledFrontendDoesNotListenAndADisabledBackendHasNoUsableServer() {
        RuntimePlan plan = plan(HEAD + REST + "  disabled\n" + """
                frontend off
                  bind 127.0.0.1:8082
                  disabled
                  enabled
                  disabled
                  default_backend be
                """);
        assertEquals(List.of("fe"), plan.frontends().stream().map(f -> f.name()).toList());
        assertTrue(plan.backends().getFirst().servers().getFirst().disabled());
        assertTrue(plan.backends().getFirst().extras().disabled());
        assertFalse(plan(HEAD + REST + "  disabled\n  enabled\n").backends().getFirst().servers().getFirst()
                .disabled());
    }

    @Test
    void idDescriptionAndBacklogReachThePlans() {
        RuntimePlan plan = plan(HEAD + "  backlog 77\n" + """
                frontend fe
                  bind 127.0.0.1:8081
                  bind 127.0.0.1:8083 backlog 5
                  description shared words
                  id 9
                  default_backend be
                backend be
                  id 10
                  description  the   app
                  server s 127.0.0.1:8080
                """);
        var front = plan.frontends().getFirst();
        assertEquals(9, front.extras().id());
        assertEquals("shared words", front.extras().description());
        assertEquals(77, front.binds().get(0).socket().backlog());
        assertEquals(5, front.binds().get(1).socket().backlog());
        assertEquals(10, plan.backends().getFirst().extras().id());
        assertEquals("the app", plan.backends().getFirst().extras().description());
    }

    @Test
    void aSecondProxyWithAnIdIsRefused() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + REST.replace("\nbackend be\n", "\nbackend be\n  id 3\n")
                + "backend other\n  id 3\n", Map.of());
        assertFalse(result.isValid(), result.render());
        assertTrue(result.render().contains("t.cfg:12") && result.render().contains("same ID (3) as backend 'be'"),
                result.render());
    }

    @Test
    void descriptionIsRefusedInDefaultsAsInHaproxy() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "  description shared\n" + REST, Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:6"), result.render());
    }

    @Test
    void idMustBePositiveAndBacklogBelongsToFrontends() {
        LoadResult zero = ConfigLoader.parse("t.cfg", HEAD + REST + "  id 0\n", Map.of());
        assertFalse(zero.isValid());
        assertTrue(zero.render().contains("t.cfg:11"), zero.render());
        LoadResult backlog = ConfigLoader.parse("t.cfg", HEAD + REST + "  backlog 10\n", Map.of());
        assertTrue(backlog.render().contains("t.cfg:11"), backlog.render());
    }

    @Test
    void logTagNamesTheProxysLogsAndFallsBackToTheGlobalOne() {
        String global = "global\n  log-tag edge\n";
        RuntimePlan plan = plan(global + HEAD + "  log 127.0.0.1:514 local0\n" + REST + "  log-tag app\n");
        assertEquals("edge", plan.frontends().getFirst().accessLog().tag());
        assertEquals("app", plan.backends().getFirst().log().tag());
        RuntimePlan inherited = plan(global + HEAD + "  log-tag all\n  log 127.0.0.1:514 local0\n" + REST);
        assertEquals("all", inherited.frontends().getFirst().accessLog().tag());
        assertEquals("all", inherited.backends().getFirst().log().tag());
    }

    @Test
    void restrictHeaderNamesIsInheritedAndSetPerSide() {
        RuntimePlan plan = plan(HEAD + "  option http-restrict-req-hdr-names delete\n" + REST
                + "  option http-restrict-req-hdr-names reject\n");
        assertEquals(dev.sluice.balancer.runtime.HeaderNamePolicy.DELETE, plan.frontends().getFirst().extras()
                .headerNames());
        assertEquals(dev.sluice.balancer.runtime.HeaderNamePolicy.REJECT, plan.backends().getFirst().extras()
                .headerNames());
        assertEquals(dev.sluice.balancer.runtime.HeaderNamePolicy.PRESERVE, plan(HEAD + REST).frontends().getFirst()
                .extras().headerNames());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "option http-restrict-req-hdr-names|expects exactly 1 argument",
        "option http-restrict-req-hdr-names drop|only supports 'preserve', 'delete' and 'reject'",
        "option socket-stats|no per-listener rows",
        "option contstats now|'option contstats' cannot handle unexpected argument 'now'",
    })
    void badOptionLinesAreRefusedAtTheirLine(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "frontend fe\n  bind 127.0.0.1:8081\n  " + line
                + "\n  default_backend be\nbackend be\n  server s 127.0.0.1:8080\n", Map.of());
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:8") && result.render().contains(message), result.render());
    }

    @Test
    void contstatsIsAcceptedWithoutANotice() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "  option contstats\n" + REST, Map.of());
        assertTrue(result.isValid() && result.warnings().isEmpty(), result.render());
    }
}
