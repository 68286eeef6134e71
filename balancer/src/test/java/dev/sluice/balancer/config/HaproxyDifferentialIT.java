package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our verdict against Debian's {@code haproxy -c -f}: what we call valid HAProxy 2.6 accepts, what
 * we call invalid it refuses, and what we call unsupported it accepts (so "unsupported" is never a
 * disguise for a config that is simply wrong).
 */
class HaproxyDifferentialIT {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    static Stream<Path> valid() {
        return Vectors.in("valid").stream();
    }

    static Stream<Path> invalid() {
        return Vectors.in("invalid").stream();
    }

    static Stream<Path> unsupported() {
        return Vectors.in("unsupported").stream();
    }

    private static ExternalProcess.Result haproxyCheck(Path file) {
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy-c",
                List.of(Sluice.tool("haproxy"), "-c", "-f", file.toString()), Vectors.ENV, null)) {
            int exit = haproxy.awaitExit(CHECK_TIMEOUT);
            return new ExternalProcess.Result(exit, haproxy.output());
        }
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validForUsIsValidForHaproxy(Path file) {
        assertTrue(ConfigLoader.load(List.of(file), Vectors.ENV).isValid());
        haproxyCheck(file).assertExit(0);
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidForUsIsInvalidForHaproxy(Path file) {
        LoadResult ours = ConfigLoader.load(List.of(file), Vectors.ENV);
        assertTrue(!ours.isValid() && ours.alerts().stream().noneMatch(d -> d.message().contains("not supported yet")),
                ours.render());
        ExternalProcess.Result theirs = haproxyCheck(file);
        assertNotEquals(0, theirs.exit(), theirs.output());
    }

    /** Extensions are keywords of newer HAProxy versions: 2.6 must not know them, or they are not extensions. */
    @ParameterizedTest
    @MethodSource("extension")
    void extensionIsUnknownToHaproxy26(Path file) {
        assertTrue(ConfigLoader.load(List.of(file), Vectors.ENV).isValid());
        ExternalProcess.Result theirs = haproxyCheck(file);
        assertNotEquals(0, theirs.exit(), theirs.output());
    }

    static Stream<Path> extension() {
        return Vectors.in("extension").stream();
    }

    @Test
    void aConfigurationDirectoryIsReadAlikeByBoth() {
        Path dir = Vectors.ROOT.resolve("dir");
        LoadResult ours = ConfigLoader.load(List.of(dir), Vectors.ENV);
        assertTrue(ours.isValid(), ours.render());
        assertEquals(List.of("www", "app", "static"),
                ours.config().orElseThrow().proxies().stream().map(p -> p.name()).toList());
        haproxyCheck(dir).assertExit(0);
    }

    @ParameterizedTest
    @MethodSource("unsupported")
    void unsupportedForUsIsValidForHaproxy(Path file) {
        assertEquals(false, ConfigLoader.load(List.of(file), Vectors.ENV).isValid());
        haproxyCheck(file).assertExit(0);
    }
}
