package dev.sluice.balancer.persist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import java.util.Map;

/** Starts the engine from configuration text, through the parser, checks and compiler. */
final class FromConfig {
    private FromConfig() {
    }

    static RunningBalancer start(String text) {
        LoadResult loaded = ConfigLoader.parse("test.cfg", text, Map.of());
        assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
        return Balancer.start(Compiler.compile(loaded.config().get()).plan());
    }
}
