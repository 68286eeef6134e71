package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.stick.TcpRule;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tcp-request content} in backends: compiled for HTTP backends, refused elsewhere with file:line. */
class BackendTcpRulesConfigTest {

    private static final String HEAD = """
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

    private static LoadResult load(String backendLines) {
        return ConfigLoader.parse("t.cfg", HEAD + backendLines, Map.of());
    }

    @Test
    void anHttpBackendKeepsItsContentRules() {
        LoadResult result = load("""
                backend guarded
                  stick-table type ip size 1k store gpc0
                  tcp-request inspect-delay 1s
                  tcp-request content track-sc0 src
                  tcp-request content set-var(txn.seen) src
                  tcp-request content reject if { src 127.0.0.1 }
                  server s 127.0.0.1:8080
                """);
        assertTrue(result.isValid(), result.render());
        RuntimePlan plan = Compiler.compile(result.config().orElseThrow()).plan();
        var rules = plan.backend("guarded").tcpRules();
        assertEquals(3, rules.content().size());
        assertTrue(rules.connection().isEmpty() && rules.session().isEmpty());
        assertEquals(TcpRule.Action.TRACK, rules.content().getFirst().action());
        assertEquals("guarded", rules.content().getFirst().table());
        assertEquals("t.cfg:16", rules.content().get(2).where());
        assertTrue(plan.backend("be").tcpRules().isEmpty());
    }

    @Test
    void aListenSectionGivesItsBackendHalfOnlyTheContentRules() {
        LoadResult result = load("""
                listen both
                  bind 127.0.0.1:8082
                  tcp-request connection reject if { src 10.0.0.0/8 }
                  tcp-request content reject if { src 127.0.0.2 }
                  server s 127.0.0.1:8080
                """);
        assertTrue(result.isValid(), result.render());
        RuntimePlan plan = Compiler.compile(result.config().orElseThrow()).plan();
        var front = plan.frontends().stream().filter(f -> f.name().equals("both")).findFirst().orElseThrow();
        var back = plan.backend("both").tcpRules();
        assertEquals(1, front.tcpRules().connection().size());
        assertTrue(back.connection().isEmpty());
        // Equal lists: the request path recognises the listen's own rules and runs them once.
        assertEquals(front.tcpRules().content(), back.content());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tcp-request connection reject|tcp-request connection is not allowed because backend 'x' is not a frontend",
            "tcp-request session accept|tcp-request session is not allowed because backend 'x' is not a frontend",
            "tcp-request content reject when x|expects 'if' or 'unless'",
            "tcp-request content track-sc0 src|backend 'x' has no stick-table",
            "tcp-request content set-var(sess.a-b) src|invalid character '-'",
    })
    void refusals(String line, String message) {
        LoadResult result = load("backend x\n  " + line + "\n  server s 127.0.0.1:8080\n");
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:12") && result.render().contains(message), result.render());
    }

    @Test
    void aTcpBackendKeepsItsContentRulesAndDelay() {
        LoadResult result = ConfigLoader.parse("m.cfg", """
                defaults
                  mode tcp
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:8081
                  default_backend be
                backend be
                  tcp-request inspect-delay 300ms
                  tcp-request content reject if { req.payload(0,3) -m str BAD }
                  server s 127.0.0.1:8080
                """, Map.of());
        assertTrue(result.isValid(), result.render());
        var rules = Compiler.compile(result.config().orElseThrow()).plan().backend("be").tcpRules();
        assertEquals(1, rules.content().size());
        assertEquals(java.time.Duration.ofMillis(300), rules.inspectDelay());
        assertEquals("m.cfg:11", rules.content().getFirst().where());
    }

    @Test
    void aTcpBackendRefusesHttpFetchesInContentRules() {
        LoadResult result = ConfigLoader.parse("m.cfg", """
                defaults
                  mode tcp
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:8081
                  default_backend be
                backend be
                  tcp-request content reject if { path /x }
                  server s 127.0.0.1:8080
                """, Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("m.cfg:10") && result.render().contains("'path' needs the HTTP request"),
                result.render());
    }
}
