package dev.sluice.balancer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.Diagnostic;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.CookiePlan;
import dev.sluice.balancer.runtime.ServerPersistence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cookie} line, server {@code cookie}/{@code maxqueue}, and what they compile into. */
class CookieConfigTest {

    private static String config(String backendLines) {
        return """
                defaults
                    mode http
                    timeout client 1s
                    timeout connect 1s
                    timeout server 1s
                listen b
                    bind 127.0.0.1:18999
                %s
                """.formatted(backendLines);
    }

    private static List<String> messages(String text) {
        return ConfigLoader.parse("t.cfg", text, Map.of()).diagnostics().stream().map(Diagnostic::toString).toList();
    }

    private static BackendPlan backend(String text) {
        LoadResult loaded = ConfigLoader.parse("t.cfg", text, Map.of());
        assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
        return Compiler.compile(loaded.config().get()).plan().backends().getFirst();
    }

    @Test
    void everyOptionCompiles() {
        BackendPlan plan = backend(config("""
                    cookie SRV insert indirect nocache postonly preserve httponly secure domain .a.example domain .b.example maxidle 30m maxlife 8h
                    default-server maxqueue 7
                    server s1 127.0.0.1:9001 cookie A
                    server s2 127.0.0.1:9002
                """));
        assertEquals(new CookiePlan("SRV", CookiePlan.Mode.INSERT, true, true, true, true, true, true,
                List.of(".a.example", ".b.example"), Duration.ofMinutes(30), Duration.ofHours(8)), plan.cookie());
        assertEquals(new ServerPersistence("A", 7), plan.servers().get(0).persistence());
        assertEquals(new ServerPersistence(null, 7), plan.servers().get(1).persistence());
    }

    @Test
    void aBackendInheritsTheDefaultsCookie() {
        BackendPlan plan = backend("""
                defaults
                    mode http
                    timeout client 1s
                    timeout connect 1s
                    timeout server 1s
                    cookie SRV prefix
                listen b
                    bind 127.0.0.1:18999
                    server s1 127.0.0.1:9001 cookie A
                """);
        assertEquals(CookiePlan.Mode.PREFIX, plan.cookie().mode());
        assertEquals(CookiePlan.NONE, backend(config("    server s1 127.0.0.1:9001")).cookie());
    }

    @Test
    void badLinesAreRefusedWithTheirLine() {
        assertEquals(List.of("[ALERT] t.cfg:8: cookie 'rewrite', 'insert' and 'prefix' modes are mutually exclusive"),
                messages(config("    cookie SRV insert rewrite")));
        assertEquals(List.of("[ALERT] t.cfg:8: cookie 'dynamic' is not supported yet (give each server a "
                + "'cookie VALUE' instead)"), messages(config("    cookie SRV insert dynamic")));
        assertEquals(List.of("[ALERT] t.cfg:8: cookie 'preserve' requires at least 'insert' or 'indirect'"),
                messages(config("    cookie SRV rewrite preserve")));
        assertEquals(List.of("[ALERT] t.cfg:8: cookie 'domain' expects an argument"),
                messages(config("    cookie SRV insert domain")));
        assertTrue(messages(config("    cookie SRV insert sticky")).getFirst().contains("(got 'sticky')"));
    }

    @Test
    void tcpModeIgnoresTheCookieWithAWarning() {
        LoadResult loaded = ConfigLoader.parse("t.cfg", """
                defaults
                    mode tcp
                    timeout client 1s
                    timeout connect 1s
                    timeout server 1s
                listen b
                    bind 127.0.0.1:18999
                    cookie SRV insert
                    server s1 127.0.0.1:9001 cookie A
                """, Map.of());
        var compilation = Compiler.compile(loaded.config().orElseThrow());
        assertEquals(CookiePlan.NONE, compilation.plan().backends().getFirst().cookie());
        assertTrue(compilation.warnings().stream().anyMatch(w -> w.toString().contains("'cookie' is ignored in mode tcp")),
                compilation.warnings().toString());
    }
}
