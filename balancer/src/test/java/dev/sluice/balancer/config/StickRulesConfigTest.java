package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.RuntimePlan;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code http-request track-scN} and {@code sc-inc-gpc0} lines in a configuration: accepted, or refused with file:line. */
class StickRulesConfigTest {

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
            backend limits
              stick-table type string len 16 size 64k expire 1m store http_req_rate(10s),gpc0
            """;

    private static LoadResult load(String frontLines) {
        return ConfigLoader.parse("t.cfg", HEAD + frontLines + TAIL, Map.of());
    }

    @Test
    void trackAndIncrementCompile() {
        LoadResult result = load("""
                  stick-table type ip size 100k expire 30s store http_req_rate(10s),http_err_rate(10s)
                  http-request track-sc0 src
                  http-request track-sc1 req.hdr(host),lower table limits if { method GET }
                  http-request sc-inc-gpc0(1) if { path_beg /login }
                  http-request sc-inc-gpc0 unless TRUE
                  http-request deny deny_status 429 if { sc_http_req_rate(0) gt 10 } || { sc1_get_gpc0 gt 5 }
                """);
        assertTrue(result.isValid(), result.render());
        RuntimePlan plan = Compiler.compile(result.config().orElseThrow()).plan();
        var rules = plan.frontends().getFirst().rules().request().rules();
        assertEquals(5, rules.size());
        assertEquals("t.cfg:10", rules.getFirst().where());
        assertEquals("http-request track-sc1 req.hdr(host),lower table limits if { method GET }",
                rules.get(1).text());
    }

    @Test
    void aBackendTracksInItsOwnTable() {
        LoadResult result = ConfigLoader.parse("b.cfg", HEAD + """
                backend be
                  stick-table type ip size 1k
                  http-request track-sc2 src
                  server s 127.0.0.1:8080
                """, Map.of());
        assertTrue(result.isValid(), result.render());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http-request track-sc0 src|t.cfg:9: 'http-request track-sc0': proxy 'fe' has no stick-table",
            "http-request track-sc0 src table nowhere|'http-request track-sc0': unable to find table 'nowhere'",
            "http-request track-sc0 src table be|unable to find table 'be'",
            "http-request track-sc1|'http-request track-sc1' expects a sample expression",
            "http-request track-sc0 nosuchfetch table limits|unknown fetch method 'nosuchfetch'",
            "http-request track-sc0 src table|missing table name",
            "http-request track-sc3 src table limits|unknown action 'http-request track-sc3'",
            "http-request sc-inc-gpc0(4)|invalid stick counter in 'sc-inc-gpc0(4)'",
            "http-request sc-inc-gpc1(5)|invalid stick counter in 'sc-inc-gpc1(5)'",
            "http-request sc-set-gpt0(0) nosuchfetch|unknown fetch method 'nosuchfetch'",
            "http-request sc-set-gpt(0,0) 1|'http-request sc-set-gpt(0,0)' is not supported yet",
            "tcp-request connection sc-set-gpt0(0)|'tcp-request connection sc-set-gpt0(0)' expects an integer or a "
                    + "sample expression",
            "tcp-request content sc-inc-gpc1(3)|'tcp-request content sc-inc-gpc1(3)': invalid stick counter",
            "http-response track-sc0 src table limits|'http-response track-sc0' is not supported yet",
    })
    void refusals(String line, String message) {
        LoadResult result = load("  " + line + "\n");
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:9") && result.render().contains(message), result.render());
    }
}
