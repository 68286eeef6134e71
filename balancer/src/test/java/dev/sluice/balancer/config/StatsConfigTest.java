package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.ServiceRule;
import dev.sluice.balancer.runtime.StatsPage;
import dev.sluice.balancer.runtime.StatsPlan;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code stats ...}, {@code stats socket} and {@code http-request use-service} from text to plan. */
class StatsConfigTest {
    private static final String HEAD = """
            defaults
                mode http
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            """;

    private static RuntimePlan plan(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan();
    }

    private static String alert(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertFalse(result.isValid(), "expected a refusal");
        return result.alerts().get(0).toString();
    }

    @Test
    void listenStatsPageWithEverySetting() {
        RuntimePlan plan = plan(HEAD + """
                listen stats
                    bind 127.0.0.1:8404
                    stats uri /admin?stats
                    stats realm My\\ Realm
                    stats auth a:1
                    stats auth b:2
                    stats refresh 10s
                    stats admin if TRUE
                    stats hide-version
                    stats show-legends
                    stats show-node edge1
                """);
        FrontendPlan front = plan.frontends().get(0);
        StatsPage page = front.visibility().stats();
        assertTrue(page.enabled());
        assertEquals("/admin?stats", page.uri());
        assertEquals("My Realm", page.realm());
        assertEquals(List.of("a:1", "b:2"), page.users());
        assertEquals(10, page.refreshSeconds());
        assertNotNull(page.admin());
        assertTrue(page.hideVersion() && page.showLegends());
        assertEquals("edge1", page.node());
        assertEquals(page, plan.backend("stats").stats());
        assertEquals(List.of("stats"), plan.stats().proxyOrder());
    }

    @Test
    void defaultsAreHaproxys() {
        RuntimePlan plan = plan(HEAD + """
                frontend f
                    bind 127.0.0.1:8404
                    stats enable
                    default_backend b
                backend b
                    server s 127.0.0.1:9
                """);
        StatsPage page = plan.frontends().get(0).visibility().stats();
        assertEquals("/haproxy?stats", page.uri());
        assertEquals("HAProxy Statistics", page.realm());
        assertEquals(0, page.refreshSeconds());
        assertNull(page.admin());
        assertFalse(plan.backend("b").stats().enabled());
        assertEquals(List.of(), plan.stats().sockets());
        assertEquals(Duration.ofSeconds(10), plan.stats().cliTimeout());
    }

    @Test
    void statsInDefaultsIsInherited() {
        RuntimePlan plan = plan(HEAD.replace("mode http", "mode http\n    stats uri /s") + """
                frontend f
                    bind 127.0.0.1:8405
                    default_backend b
                backend b
                    server s 127.0.0.1:9
                """);
        BackendPlan backend = plan.backend("b");
        assertTrue(backend.stats().enabled(), "stats uri implies stats enable");
        assertEquals("/s", backend.stats().uri());
    }

    @Test
    void useServicePrometheusWithAndWithoutCondition() {
        RuntimePlan plan = plan(HEAD + """
                frontend f
                    bind 127.0.0.1:8405
                    acl metrics path /metrics
                    http-request use-service prometheus-exporter if metrics
                    http-request use-service prometheus-exporter
                    default_backend b
                backend b
                    server s 127.0.0.1:9
                """);
        List<ServiceRule> rules = plan.frontends().get(0).visibility().services();
        assertEquals(2, rules.size());
        assertEquals(ServiceRule.PROMETHEUS, rules.get(0).service());
        assertNotNull(rules.get(0).condition());
        assertNull(rules.get(1).condition());
    }

    @Test
    void statsSocketsAndTimeout() {
        RuntimePlan plan = plan("""
                global
                    stats socket /run/sluice/admin.sock mode 660 level admin
                    stats socket ipv4@127.0.0.1:9999 level user
                    stats socket 127.0.0.1:9998
                    stats timeout 2m
                """ + HEAD + """
                frontend f
                    bind 127.0.0.1:8405
                """);
        List<StatsPlan.Socket> sockets = plan.stats().sockets();
        assertEquals(UnixDomainSocketAddress.of("/run/sluice/admin.sock"), sockets.get(0).address());
        assertEquals(0660, sockets.get(0).mode());
        assertEquals(StatsPlan.Level.ADMIN, sockets.get(0).level());
        assertEquals(new InetSocketAddress("127.0.0.1", 9999), sockets.get(1).address());
        assertEquals(StatsPlan.Level.USER, sockets.get(1).level());
        assertEquals(-1, sockets.get(2).mode());
        assertEquals(StatsPlan.Level.ADMIN, sockets.get(2).level());
        assertEquals(Duration.ofMinutes(2), plan.stats().cliTimeout());
    }

    @Test
    void refusalsNameTheLine() {
        String frontend = HEAD + "frontend f\n    bind 127.0.0.1:8405\n";
        assertTrue(alert(frontend + "    stats admin TRUE\n").contains("t.cfg:8")
                && alert(frontend + "    stats admin TRUE\n").contains("requires either 'if' or 'unless'"));
        assertTrue(alert(frontend + "    stats auth nopassword\n").contains("expects user:password"));
        assertTrue(alert(frontend + "    stats refesh 5s\n").contains("did you mean 'refresh'"));
        String unknownAcl = alert(frontend + "    stats admin if no_such_acl\n");
        assertTrue(unknownAcl.contains("t.cfg:8") && unknownAcl.contains("'stats admin'"), unknownAcl);
        assertTrue(alert(frontend + "    http-request use-service lua.foo\n").contains("unknown service 'lua.foo'"));
        assertTrue(alert("global\n    stats socket /x level root\n").contains("t.cfg:2")
                && alert("global\n    stats socket /x level root\n").contains("'level' only supports"));
        assertTrue(alert("global\n    stats socket nowhere\n").contains("neither a path nor ADDRESS:PORT"));
        assertTrue(alert("global\n    stats bogus\n").contains("expects 'socket' or 'timeout'"));
    }
}
