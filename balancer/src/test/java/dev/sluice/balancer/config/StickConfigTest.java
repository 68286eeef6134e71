package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.stick.KeyType;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.TableSpec;
import dev.sluice.balancer.stick.TcpRule;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code stick-table} and {@code tcp-request} lines: what they compile to, and the refusals with file:line. */
class StickConfigTest {

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
              stick-table type string len 16 size 64k expire 1m nopurge store http_req_rate(10s),gpc0 store conn_cur
            """;

    private static LoadResult load(String frontLines) {
        return ConfigLoader.parse("t.cfg", HEAD + frontLines + TAIL, Map.of());
    }

    @Test
    void tablesAndRulesCompile() {
        LoadResult result = load("""
                  stick-table type ip size 1k expire 30s store conn_cur,conn_rate(3s)
                  tcp-request inspect-delay 5s
                  tcp-request connection reject if { src_conn_cur ge 3 }
                  tcp-request connection track-sc0 src
                  tcp-request session track-sc1 src table limits
                  tcp-request content reject if { sc1_http_req_rate gt 100 } || { sc1_get_gpc0 gt 0 }
                  tcp-request connection expect-proxy layer4 if { src 10.0.0.0/8 }
                """);
        assertTrue(result.isValid(), result.render());
        RuntimePlan plan = Compiler.compile(result.config().orElseThrow()).plan();
        assertEquals(2, plan.stickTables().size());
        TableSpec fe = plan.stickTables().get(0);
        assertEquals(new TableSpec("fe", KeyType.IP, 0, 1024, Duration.ofSeconds(30), false,
                Map.of(StickData.CONN_CUR, 0L, StickData.CONN_RATE, 3_000L)), fe);
        TableSpec limits = plan.stickTables().get(1);
        assertEquals(new TableSpec("limits", KeyType.STRING, 16, 65_536, Duration.ofMinutes(1), true,
                Map.of(StickData.HTTP_REQ_RATE, 10_000L, StickData.GPC0, 0L, StickData.CONN_CUR, 0L)), limits);
        FrontendPlan front = plan.frontends().getFirst();
        assertEquals(3, front.tcpRules().connection().size());
        assertEquals(TcpRule.Action.TRACK, front.tcpRules().connection().get(1).action());
        assertEquals("fe", front.tcpRules().connection().get(1).table());
        assertEquals("limits", front.tcpRules().session().getFirst().table());
        assertEquals(1, front.tcpRules().session().getFirst().slot());
        assertEquals(TcpRule.Action.EXPECT_PROXY, front.tcpRules().connection().get(2).action());
        assertEquals(1, front.tcpRules().content().size());
        assertEquals(Duration.ofSeconds(5), front.tcpRules().inspectDelay());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tcp-request connection track-sc0 src|t.cfg:9: 'tcp-request connection track-sc0': frontend 'fe' has no stick-table",
            "tcp-request connection track-sc0 src table nowhere|unable to find table 'nowhere'",
            "tcp-request connection track-sc3 src table limits|stick counter must be 0, 1 or 2",
            "tcp-request connection reject if { src_conn_cur gt 3 }|proxy 'fe' has no stick-table",
            "tcp-request connection reject if { sc0_conn_cur(nowhere) gt 3 }|unable to find table 'nowhere'",
            "tcp-request connection reject if { path /x }|'path' needs the HTTP request",
            "tcp-request session expect-proxy layer4|only valid in 'tcp-request connection'",
            "tcp-request connection set-mark 1|'tcp-request connection set-mark' is not supported yet",
            "tcp-request connection nothing|unknown action 'nothing'",
            "tcp-request connection reject when x|expects 'if' or 'unless'",
            "tcp-request connection track-sc0 nosuchfetch table limits|unknown fetch method 'nosuchfetch'",
            "stick-table type ip|missing or null 'size'",
            "stick-table size 10|missing 'type'",
            "stick-table type ip size 10 store conn_rate|needs a period",
            "stick-table type ip size 10 store gpt(3)|'gpt' is not supported yet",
            "stick-table type ip size 10 peers p|unable to find sync peers 'p'",
            "stick-table type ip len 4 size 10|'len' applies to type string only",
    })
    void refusals(String line, String message) {
        LoadResult result = load("  " + line + "\n");
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:9") && result.render().contains(message), result.render());
    }

    @Test
    void stickRulesCompileWithServerIdsAndAServerIdColumn() {
        LoadResult result = ConfigLoader.parse("s.cfg", HEAD + """
                backend be
                  stick-table type ip size 1k
                  stick match src if { src 10.0.0.0/8 }
                  stick store-request src table limits
                  server a 127.0.0.1:8080
                  server b 127.0.0.1:8081 id 7
                  server c 127.0.0.1:8082
                backend limits
                  stick-table type ip size 10
                """, Map.of());
        assertTrue(result.isValid(), result.render());
        RuntimePlan plan = Compiler.compile(result.config().orElseThrow()).plan();
        var stick = plan.backend("be").stick();
        assertEquals(2, stick.rules().size());
        assertTrue(stick.rules().get(0).match() && !stick.rules().get(0).store());
        assertTrue(!stick.rules().get(1).match() && stick.rules().get(1).store());
        assertEquals("limits", stick.rules().get(1).table());
        // HAProxy 2.6 numbers the third server 3: its id cursor moves past the explicit "id 7" line too.
        assertEquals(java.util.List.of(1, 7, 3), java.util.Arrays.stream(stick.serverIds()).boxed().toList());
        assertTrue(plan.stickTables().stream().allMatch(t -> t.stores(StickData.SERVER_ID)));
        LoadResult misplaced = load("  stick on src\n");
        assertTrue(misplaced.render().contains("t.cfg:9") && misplaced.render().contains("'stick' not allowed"),
                misplaced.render());
        LoadResult noTable = ConfigLoader.parse("n.cfg", HEAD + "backend be\n  stick on src\n  server a 127.0.0.1:80\n",
                Map.of());
        assertTrue(noTable.render().contains("n.cfg:10") && noTable.render().contains("has no stick-table"),
                noTable.render());
    }

    @Test
    void oneTablePerProxyAndNoRulesInDefaults() {
        LoadResult twice = load("""
                  stick-table type ip size 1k
                  stick-table type ip size 1k
                """);
        assertTrue(twice.render().contains("t.cfg:10") && twice.render().contains("only one stick-table"),
                twice.render());
        LoadResult defaults = ConfigLoader.parse("d.cfg", "defaults\n  tcp-request connection reject\n", Map.of());
        assertTrue(defaults.render().contains("d.cfg:2") && defaults.render().contains("not allowed in 'defaults'"),
                defaults.render());
    }
}
