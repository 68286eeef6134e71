package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.stick.TcpRule;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tcp-request … set-var(NAME) EXPR} and {@code unset-var(NAME)}: what they compile to, and the refusals with file:line. */
class TcpRequestVarsConfigTest {

    private static final String HEAD = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            frontend fe
              bind 127.0.0.1:8081
              default_backend be
            """;
    private static final String TAIL = """
            backend be
              server s 127.0.0.1:8080
            """;

    private static LoadResult load(String frontLines) {
        return ConfigLoader.parse("t.cfg", HEAD + frontLines + TAIL, Map.of());
    }

    @Test
    void variablesCompileInEachPhase() {
        LoadResult result = load("""
                  tcp-request connection set-var(sess.client) src
                  tcp-request session set-var(sess.port) src_port if { src 127.0.0.0/8 }
                  tcp-request content set-var(txn.host) req.hdr(host),lower
                  tcp-request content unset-var(sess.port) unless { src 10.0.0.0/8 }
                  http-request return status 200 content-type text/plain lf-string "%[var(sess.client)]" if { var(txn.host) -m found }
                """);
        assertTrue(result.isValid(), result.render());
        RuntimePlan plan = Compiler.compile(result.config().orElseThrow()).plan();
        FrontendPlan front = plan.frontends().getFirst();
        TcpRule connection = front.tcpRules().connection().getFirst();
        assertEquals(TcpRule.Action.SET_VAR, connection.action());
        assertEquals("sess.client", connection.variable());
        assertEquals("src", connection.key().text());
        assertEquals("t.cfg:9", connection.where());
        assertEquals("sess.port", front.tcpRules().session().getFirst().variable());
        assertEquals("txn.host", front.tcpRules().content().getFirst().variable());
        TcpRule unset = front.tcpRules().content().get(1);
        assertEquals(TcpRule.Action.UNSET_VAR, unset.action());
        assertEquals("sess.port", unset.variable());
        assertTrue(unset.condition() != null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tcp-request content set-var(sess.x)|'tcp-request content set-var(sess.x)' expects a sample expression",
            "tcp-request content set-var(sess.x) nosuchfetch|unknown fetch method 'nosuchfetch'",
            "tcp-request content unset-var(sess.x) src|expects 'if' or 'unless' (got 'src')",
            "tcp-request content set-var(x) src|invalid variable name 'x'",
            "tcp-request content set-var() src|missing variable name",
            "tcp-request content set-var(sess.a-b) src|invalid character '-'",
            "tcp-request content set-var(proc.x) src|variable scope 'proc' is not supported yet",
            "tcp-request content set-var(sess.x,ifnotexists) src|set-var conditions (ifexists, ifnotset, …) are not supported yet",
            "tcp-request content set-var(sess.x src|expects a variable name in parentheses",
            "tcp-request connection set-var(txn.x) src|only 'sess.' variables exist before the request",
            "tcp-request session unset-var(req.x)|only 'sess.' variables exist before the request",
            "tcp-request connection set-var(sess.x) path|fetch 'path' needs the HTTP request",
            "tcp-request content set-var-fmt(sess.x) %[src]|'tcp-request content set-var-fmt(sess.x)' is not supported yet",
    })
    void refusals(String line, String message) {
        LoadResult result = load("  " + line + "\n");
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:9") && result.render().contains(message), result.render());
    }
}
