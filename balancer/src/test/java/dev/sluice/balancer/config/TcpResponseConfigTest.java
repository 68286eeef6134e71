package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.stick.TcpResponseRules;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tcp-response inspect-delay} and {@code tcp-response content}: parsed, compiled, refused with file:line. */
class TcpResponseConfigTest {

    private static final String HEAD = """
            defaults
              mode tcp
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            frontend fe
              bind 127.0.0.1:8081
              default_backend be
            backend be
              server s 127.0.0.1:8080
            """;

    private static LoadResult load(String lines) {
        return ConfigLoader.parse("r.cfg", HEAD + lines, Map.of());
    }

    @Test
    void aBackendCompilesItsRulesInOrderWithTheirDelay() {
        LoadResult result = load("""
                backend x
                  acl evil res.payload(0,4) -m str EVIL
                  tcp-response inspect-delay 2s
                  tcp-response content set-var(txn.len) res.len
                  tcp-response content reject if evil
                  tcp-response content close if { res.len gt 100 }
                  tcp-response content unset-var(txn.len) unless { res.len gt 0 }
                  tcp-response content silent-drop if { res.ssl_hello_type 2 }
                  tcp-response content accept
                  server s 127.0.0.1:8080
                """);
        assertTrue(result.isValid(), result.render());
        var plan = Compiler.compile(result.config().orElseThrow()).plan();
        TcpResponseRules rules = plan.backend("x").tcpRules().response();
        assertEquals(Duration.ofSeconds(2), rules.inspectDelay());
        assertEquals(6, rules.rules().size());
        assertEquals(TcpResponseRules.Action.SET_VAR, rules.rules().get(0).action());
        assertEquals("txn.len", rules.rules().get(0).variable());
        assertNull(rules.rules().get(0).condition());
        assertEquals(TcpResponseRules.Action.REJECT, rules.rules().get(1).action());
        assertNotNull(rules.rules().get(1).condition());
        assertEquals("r.cfg:15", rules.rules().get(1).where());
        assertEquals(TcpResponseRules.Action.CLOSE, rules.rules().get(2).action());
        assertEquals(TcpResponseRules.Action.UNSET_VAR, rules.rules().get(3).action());
        assertTrue(rules.rules().get(3).condition().unless());
        assertEquals(TcpResponseRules.Action.SILENT_DROP, rules.rules().get(4).action());
        assertEquals(TcpResponseRules.Action.ACCEPT, rules.rules().get(5).action());
        assertTrue(plan.backend("be").tcpRules().response().isEmpty());
        // Request rules are unaffected: the backend has none.
        assertTrue(plan.backend("x").tcpRules().content().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tcp-response content bogus|unknown action 'bogus'",
            "tcp-response content|expects an action",
            "tcp-response inspect-delay|'tcp-response inspect-delay' expects a time",
            "tcp-response foo|'tcp-response' expects 'inspect-delay' or 'content' (got 'foo')",
            "tcp-response content reject when x|expects 'if' or 'unless'",
            "tcp-response content reject if|missing condition after 'if'",
            "tcp-response content set-var(txn.x)|expects a sample expression",
            "tcp-response content set-var(foo) res.len|invalid variable name 'foo'",
            "tcp-response content sc-inc-gpc0(0)|'tcp-response content sc-inc-gpc0(0)' is not supported yet",
            "tcp-response content set-var-fmt(txn.x) abc|is not supported yet",
            "tcp-response content reject if { res.nope }|res.nope",
    })
    void refusals(String line, String message) {
        LoadResult result = load("backend x\n  " + line + "\n  server s 127.0.0.1:8080\n");
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("r.cfg:12") && result.render().contains(message), result.render());
    }

    @Test
    void aFrontendRefusesThem() {
        LoadResult result = ConfigLoader.parse("f.cfg", """
                defaults
                  mode tcp
                  timeout client 5s
                  timeout server 5s
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:8081
                  tcp-response content reject
                  default_backend be
                backend be
                  server s 127.0.0.1:8080
                """, Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("f.cfg:8") && result.render().contains("tcp-response"), result.render());
    }

    @Test
    void anHttpBackendRunsRejectAndVariablesButRefusesClose() {
        LoadResult ok = ConfigLoader.parse("h.cfg", HTTP + """
                  tcp-response content set-var(txn.l) res.len
                  tcp-response content reject if { res.len gt 0 }
                  server s 127.0.0.1:8080
                """, Map.of());
        assertTrue(ok.isValid(), ok.render());
        assertEquals(2, Compiler.compile(ok.config().orElseThrow()).plan().backend("be").tcpRules().response()
                .rules().size());
        LoadResult close = ConfigLoader.parse("h.cfg", HTTP + """
                  tcp-response content close
                  server s 127.0.0.1:8080
                """, Map.of());
        assertFalse(close.isValid());
        assertTrue(close.render().contains("h.cfg:10") && close.render().contains("not supported yet"),
                close.render());
    }

    private static final String HTTP = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            frontend fe
              bind 127.0.0.1:8081
              default_backend be
            backend be
            """;
}
