package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vector file loads with exactly the messages it expects (file:line and wording). */
class VectorsTest {

    static Stream<Path> valid() {
        return Stream.concat(Vectors.in("valid").stream(), Vectors.in("extension").stream());
    }

    static Stream<Path> refused() {
        return Stream.concat(Vectors.in("invalid").stream(), Vectors.in("unsupported").stream());
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validVectorLoads(Path file) {
        LoadResult result = ConfigLoader.load(List.of(file), Vectors.ENV);
        assertEquals(Vectors.expected(file), Vectors.actual(result), file.toString());
        assertTrue(result.isValid(), file + "\n" + result.render());
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedVectorReportsEveryError(Path file) {
        LoadResult result = ConfigLoader.load(List.of(file), Vectors.ENV);
        assertEquals(Vectors.expected(file), Vectors.actual(result), file.toString());
        assertFalse(result.isValid());
    }

    /** An unsupported vector must say so, unless its name says it is stricter than HAProxy on purpose. */
    @ParameterizedTest
    @MethodSource("unsupported")
    void unsupportedVectorsSaySo(Path file) {
        LoadResult result = ConfigLoader.load(List.of(file), Vectors.ENV);
        boolean saysUnsupported = result.alerts().stream().allMatch(d -> d.message().contains("not supported yet")
                || d.message().contains("refused"));
        assertTrue(saysUnsupported || file.getFileName().toString().startsWith("stricter-"), result.render());
    }

    static Stream<Path> unsupported() {
        return Vectors.in("unsupported").stream();
    }
}
