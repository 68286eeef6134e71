package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.H2Limits;
import dev.sluice.balancer.runtime.RuntimePlan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tune.h2.*} and {@code bind … proto h2}: parsed, checked, compiled into the plan. */
class H2ConfigTest {
    private static final String TAIL = """
            defaults
                mode http
                timeout client 1s
                timeout connect 1s
                timeout server 1s
            frontend f
                bind 127.0.0.1:18401 proto h2
                bind 127.0.0.1:18402 accept-proxy
                default_backend b
            backend b
                server s 127.0.0.1:9001
            """;

    private static LoadResult parse(String text) {
        return ConfigLoader.parse("t.cfg", text, Map.of());
    }

    @Test
    void limitsAndProtoReachThePlan() {
        LoadResult result = parse("""
                global
                    tune.h2.max-concurrent-streams 50
                    tune.h2.initial-window-size 1048576
                    tune.h2.max-frame-size 32768
                    tune.h2.header-table-size 8192
                """ + TAIL);
        assertTrue(result.isValid(), result.render());
        Compiler.Compilation compilation = Compiler.compile(result.config().orElseThrow());
        RuntimePlan plan = compilation.plan();
        assertEquals(new H2Limits(50, 1_048_576, 32_768, 8_192), plan.global().h2());
        List<BindPlan> binds = plan.frontends().getFirst().binds();
        assertTrue(binds.get(0).h2c());
        assertFalse(binds.get(1).h2c());
        assertTrue(compilation.warnings().isEmpty(), compilation.warnings().toString());
    }

    @Test
    void defaultsAreHaproxys() {
        LoadResult result = parse("global\n    maxconn 10\n" + TAIL);
        assertTrue(result.isValid(), result.render());
        assertEquals(H2Limits.DEFAULTS, Compiler.compile(result.config().orElseThrow()).plan().global().h2());
        assertEquals(100, H2Limits.DEFAULTS.maxConcurrentStreams());
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirLine() {
        LoadResult streams = parse("global\n    tune.h2.max-concurrent-streams 0\n" + TAIL);
        assertFalse(streams.isValid());
        assertTrue(streams.render().contains("t.cfg:2"), streams.render());
        assertTrue(streams.render().contains("'tune.h2.max-concurrent-streams'"), streams.render());
        LoadResult frame = parse("global\n    tune.h2.max-frame-size 1000\n" + TAIL);
        assertFalse(frame.isValid());
        assertTrue(frame.render().contains("16384"), frame.render());
    }

    @Test
    void protocolsTheEngineDoesNotSpeakAreRefused() {
        LoadResult result = parse("global\n    maxconn 10\n" + TAIL.replace("proto h2", "proto fcgi"));
        assertFalse(result.isValid());
        assertTrue(result.render().contains("'proto fcgi' is not supported yet"), result.render());
    }
}
