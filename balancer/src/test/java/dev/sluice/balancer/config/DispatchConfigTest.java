package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.dispatch.DispatchPlan;
import dev.sluice.balancer.dispatch.RetryCause;
import dev.sluice.balancer.runtime.BackendPlan;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** retry-on, option redispatch N, option persist and the server rules reach the backend's plan. */
class DispatchConfigTest {

    private static final String FRONTEND = "frontend f\n    bind 127.0.0.1:18174\n    default_backend b\n";

    private static BackendPlan backend(String text, String name) {
        LoadResult result = ConfigLoader.parse("t.cfg", text + FRONTEND, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan().backends().stream()
                .filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            """;

    @Test
    void haproxysDefaults() {
        BackendPlan plan = backend(HEAD + "backend b\n    server s 127.0.0.1:9001\n", "b");
        assertEquals(DispatchPlan.DEFAULTS, plan.dispatch());
        assertFalse(plan.redispatch());
    }

    @Test
    void settingsInheritFromDefaultsAndTheLastLineWins() {
        BackendPlan plan = backend(HEAD + """
                    retry-on 503
                    option redispatch 2
                    option persist
                backend b
                    retry-on empty-response 504
                    server s 127.0.0.1:9001
                backend c
                    no option persist
                    option redispatch 0
                    server s 127.0.0.1:9001
                """, "b");
        assertEquals(EnumSet.of(RetryCause.EMPTY_RESPONSE, RetryCause.STATUS_504), plan.dispatch().retryOn().causes());
        assertTrue(plan.redispatch());
        assertEquals(2, plan.dispatch().redispatchAfter());
        assertTrue(plan.dispatch().persist());
        BackendPlan other = backend(HEAD + """
                    retry-on 503
                    option redispatch 2
                    option persist
                backend b
                    server s 127.0.0.1:9001
                backend c
                    no option persist
                    option redispatch 0
                    server s 127.0.0.1:9001
                """, "c");
        assertEquals(EnumSet.of(RetryCause.STATUS_503), other.dispatch().retryOn().causes());
        assertFalse(other.dispatch().persist());
        assertFalse(other.redispatch(), "option redispatch 0 disables redispatching");
    }

    @Test
    void rulesCompileInFileOrder() {
        BackendPlan plan = backend(HEAD + """
                backend b
                    acl admin hdr(x-admin) -m found
                    use-server s2 if { path_beg /two }
                    use-server s1 unless admin
                    ignore-persist if { path_end .css }
                    force-persist if admin
                    server s1 127.0.0.1:9001
                    server s2 127.0.0.1:9002
                """, "b");
        DispatchPlan dispatch = plan.dispatch();
        assertEquals(2, dispatch.useServers().size());
        assertEquals("s2", dispatch.useServers().get(0).server());
        assertEquals("s1", dispatch.useServers().get(1).server());
        assertEquals(2, dispatch.persistRules().size());
        assertFalse(dispatch.persistRules().get(0).force());
        assertTrue(dispatch.persistRules().get(1).force());
    }

    @Test
    void tcpBackendsRefuseTheServerRules() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + """
                backend b
                    mode tcp
                    use-server s if TRUE
                    server s 127.0.0.1:9001
                """ + FRONTEND, Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:8: 'use-server s' in tcp backend 'b' is not supported yet"),
                result.render());
    }

    @Test
    void disableL7RetryIsAnHttpRequestAction() {
        BackendPlan plan = backend(HEAD + """
                backend b
                    http-request disable-l7-retry if { method POST }
                    server s 127.0.0.1:9001
                """, "b");
        assertTrue(plan.rules().hasRequestRules());
    }
}
