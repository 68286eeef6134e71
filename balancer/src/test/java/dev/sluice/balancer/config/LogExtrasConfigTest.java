package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.log.AccessLogPlan;
import dev.sluice.balancer.log.LogExtrasPlan;
import dev.sluice.balancer.runtime.FrontendPlan;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code unique-id-format}, {@code unique-id-header}, {@code log-format-sd}, {@code error-log-format},
 * {@code option dontlog-normal} and {@code option logasap}: inherited from defaults, compiled per
 * frontend, refused at their own line with the frontend that uses them.
 */
class LogExtrasConfigTest {

    private static LoadResult parse(String text) {
        return ConfigLoader.parse("t.cfg", text, Map.of());
    }

    private static AccessLogPlan plan(String text, String frontend) {
        LoadResult loaded = parse(text);
        assertTrue(loaded.isValid(), loaded.render());
        return Compiler.compile(loaded.config().orElseThrow()).plan().frontends().stream()
                .filter(f -> f.name().equals(frontend)).map(FrontendPlan::accessLog).findFirst().orElseThrow();
    }

    private static final String BASE = """
            global
                log 127.0.0.1:514 local0
            defaults
                mode http
                log global
                option httplog
                unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
                unique-id-header X-Unique-ID
                log-format-sd "[exampleSDID@1234 bytes=\\"%B\\" status=\\"%ST\\"]"
                error-log-format "%ci:%cp [%tr] %ft %ac/%fc"
                option dontlog-normal
                option logasap
            frontend inherits
                bind 127.0.0.1:18330
            frontend own
                bind 127.0.0.1:18331
                unique-id-format "%rt"
                no option dontlog-normal
                no option logasap
            """;

    @Test
    void everySettingIsInheritedFromDefaults() {
        LogExtrasPlan extras = plan(BASE, "inherits").extras();
        assertEquals("%{+X}o %ci:%cp_%fi:%fp_%Ts_%rt:%pid", extras.uniqueId().text());
        assertEquals("X-Unique-ID", extras.uniqueIdHeader());
        assertEquals("[exampleSDID@1234 bytes=\"%B\" status=\"%ST\"]", extras.structuredData().text());
        assertEquals("%ci:%cp [%tr] %ft %ac/%fc", extras.errorFormat().text());
        assertTrue(extras.dontLogNormal());
        assertTrue(extras.logAsap());
    }

    @Test
    void aSectionOverridesAndNegatesWhatItInherited() {
        LogExtrasPlan extras = plan(BASE, "own").extras();
        assertEquals("%rt", extras.uniqueId().text());
        assertEquals("X-Unique-ID", extras.uniqueIdHeader());
        assertFalse(extras.dontLogNormal());
        assertFalse(extras.logAsap());
    }

    @Test
    void withoutSettingsThePlanHasNone() {
        AccessLogPlan plan = plan("""
                global
                    log 127.0.0.1:514 local0
                defaults
                    mode http
                    log global
                    option httplog
                frontend f
                    bind 127.0.0.1:18332
                """, "f");
        assertEquals(LogExtrasPlan.NONE, plan.extras());
    }

    @Test
    void aHeaderWithoutAFormatSendsNothingAsHaproxyDoes() {
        AccessLogPlan plan = plan("""
                defaults
                    mode http
                frontend f
                    bind 127.0.0.1:18333
                    unique-id-header X-Unique-ID
                """, "f");
        assertNull(plan.extras().uniqueIdHeader());
        assertNull(plan.extras().uniqueId());
    }

    @Test
    void badFormatsAreRefusedAtTheirLineNamingTheFrontend() {
        LoadResult loaded = parse("""
                defaults
                    mode tcp
                    unique-id-format "%ci %HM"
                frontend f
                    bind 127.0.0.1:18334
                    log-format-sd "%[no_such_fetch]"
                    error-log-format "%Zz"
                """);
        assertFalse(loaded.isValid());
        String messages = loaded.render();
        assertTrue(messages.contains("t.cfg:3: 'unique-id-format': format variable '%HM' is reserved for HTTP mode "
                + "(used by frontend 'f')"), messages);
        assertTrue(messages.contains("t.cfg:6: 'log-format-sd': failed to parse sample expression 'no_such_fetch'"),
                messages);
        assertTrue(messages.contains("t.cfg:7: 'error-log-format': no such format variable '%Zz'"), messages);
    }

    @Test
    void emptyOrMissingArgumentsAreRefusedAtTheirLine() {
        LoadResult loaded = parse("""
                defaults
                    mode http
                frontend f
                    bind 127.0.0.1:18335
                    unique-id-format ""
                    error-log-format
                    unique-id-header "X Bad"
                    option logasap now
                """);
        assertFalse(loaded.isValid());
        String messages = loaded.render();
        assertTrue(messages.contains("t.cfg:5: 'unique-id-format' expects an argument"), messages);
        assertTrue(messages.contains("t.cfg:6: "), messages);
        assertTrue(messages.contains("t.cfg:7: 'unique-id-header': 'X Bad' is not a valid header name"), messages);
        assertTrue(messages.contains("t.cfg:8: 'option logasap' cannot handle unexpected argument 'now'"), messages);
    }

    @Test
    void backendsLogToTheirTargetsAndLogHealthChecksWhenAsked() {
        LoadResult loaded = parse("""
                global
                    log 127.0.0.1:514 local0
                defaults
                    mode http
                    log global
                    option log-health-checks
                frontend f
                    bind 127.0.0.1:18336
                    default_backend b
                backend b
                    server s 127.0.0.1:9001 check
                backend quiet
                    no option log-health-checks
                    server s 127.0.0.1:9001 check
                """);
        assertTrue(loaded.isValid(), loaded.render());
        var backends = Compiler.compile(loaded.config().orElseThrow()).plan().backends();
        var b = backends.stream().filter(p -> p.name().equals("b")).findFirst().orElseThrow().log();
        var quiet = backends.stream().filter(p -> p.name().equals("quiet")).findFirst().orElseThrow().log();
        assertTrue(b.healthChecks());
        assertEquals(1, b.sinks().size());
        assertFalse(quiet.healthChecks());
        assertEquals(1, quiet.sinks().size(), "server transitions still go to the backend's log");
    }

    @Test
    void logHealthChecksIsABackendOption() {
        LoadResult loaded = parse("""
                defaults
                    mode http
                frontend f
                    bind 127.0.0.1:18337
                    option log-health-checks
                """);
        assertTrue(loaded.render().contains("t.cfg:5: "), loaded.render());
        assertTrue(loaded.render().contains("log-health-checks"), loaded.render());
    }
}
