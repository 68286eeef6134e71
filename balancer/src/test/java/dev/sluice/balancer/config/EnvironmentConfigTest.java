package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.model.ProcessSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code setenv}, {@code presetenv}, {@code resetenv} and {@code unsetenv}: each changes what
 * {@code "${NAME}"} gives on the lines after it, across files, never on the lines before; the
 * checks and alerts are HAProxy 2.6's. The values land in {@code node} and {@code description},
 * which keep what they are given.
 */
class EnvironmentConfigTest {
    private static final Map<String, String> PROCESS = Map.of("HOME", "/root", "KEEP", "kept", "PORT", "80");
    private static LoadResult load(String globalLines) {
        return GlobalSection.load(globalLines, PROCESS);
    }

    private static ProcessSettings settings(String globalLines) {
        return GlobalSection.settings(globalLines, PROCESS);
    }

    @Test
    void setenvReachesTheLinesAfterItOnly() {
        ProcessSettings settings = settings("""
                    description "before=${A}"
                    setenv A "one ${PORT}"
                    node "${A}"
                """);
        assertEquals("before=", settings.description());
        assertEquals("one 80", settings.node());
    }

    @Test
    void presetenvKeepsAValueAlreadySet() {
        ProcessSettings settings = settings("""
                    presetenv PORT 8080
                    presetenv NEW new
                    node "${PORT}"
                    description "${NEW}"
                """);
        assertEquals("80", settings.node());
        assertEquals("new", settings.description());
    }

    @Test
    void unsetenvAndResetenvRemoveVariables() {
        ProcessSettings unset = settings("    unsetenv HOME PORT\n    node \"h=${HOME} p=${PORT} k=${KEEP}\"");
        assertEquals("h= p= k=kept", unset.node());
        ProcessSettings reset = settings("    resetenv KEEP\n    setenv A a\n    node \"h=${HOME} k=${KEEP} a=${A}\"");
        assertEquals("h= k=kept a=a", reset.node());
        assertEquals("h=", settings("    resetenv\n    node \"h=${HOME}\"").node());
    }

    @Test
    void aVariableSetInOneFileReachesTheNext(@TempDir Path dir) throws Exception {
        Path first = Files.writeString(dir.resolve("1.cfg"), "global\n    setenv NODE edge-1\n");
        Path second = Files.writeString(dir.resolve("2.cfg"), "global\n    node \"${NODE}\"\n" + GlobalSection.tail());
        LoadResult result = ConfigLoader.load(List.of(first, second), PROCESS);
        assertTrue(result.isValid(), result.render());
        assertEquals("edge-1", result.config().orElseThrow().global().process().node());
    }

    @Test
    void eachLoadStartsFromTheProcessEnvironment() {
        assertEquals("a", settings("    setenv A a\n    node \"${A}\"").node());
        assertEquals("", settings("    node \"${A}\"").node(), "the first load's setenv does not leak");
    }

    @Test
    void badLinesAreAlertsWithHaproxysWords() {
        assertTrue(alert("    setenv A").contains("t.cfg:2: 'setenv' expects a name and a value."));
        assertTrue(alert("    presetenv").contains("'presetenv' expects a name and a value."));
        assertTrue(alert("    unsetenv").contains("'unsetenv' expects at least one variable name."));
        assertTrue(alert("frontend g\n    setenv A b").contains("'setenv'"), "global only");
        LoadResult extra = load("    setenv A b c\n    node \"${A}\"");
        assertTrue(extra.isValid(), extra.render());
        assertEquals("b", extra.config().orElseThrow().global().process().node());
        assertTrue(extra.render().contains("'setenv' uses only its first two words; 'c' is ignored"), extra.render());
    }

    private static String alert(String globalLines) {
        return GlobalSection.alert(globalLines);
    }
}
