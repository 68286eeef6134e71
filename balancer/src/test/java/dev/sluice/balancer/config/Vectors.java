package dev.sluice.balancer.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The configuration vectors under {@code src/test/resources/config/}: each file lists every message
 * it must produce, in order, in {@code # expect: SEVERITY LINE MESSAGE} comments at its end (so they
 * do not move the lines they point at; {@code -} for a message about the whole configuration).
 * <ul>
 *   <li>{@code valid/}: we accept, and so does HAProxy 2.6;</li>
 *   <li>{@code invalid/}: we refuse, and so does HAProxy 2.6;</li>
 *   <li>{@code unsupported/}: we refuse with "not supported yet" (or stricter than HAProxy), HAProxy accepts;</li>
 *   <li>{@code extension/}: we accept, HAProxy 2.6 does not know the keyword (newer HAProxy does).</li>
 * </ul>
 */
final class Vectors {

    static final Path ROOT = Path.of("src/test/resources/config");

    /** Fixed environment for {@code "${VAR}"} vectors, given to us and to haproxy alike. */
    static final Map<String, String> ENV = Map.of(
            "SLUICE_TEST_PORT", "18080",
            "SLUICE_TEST_SERVERS", "127.0.0.1:9001 127.0.0.1:9002",
            "SLUICE_TEST_NAME", "from-env");

    private Vectors() {
    }

    static List<Path> in(String kind) {
        try (Stream<Path> files = Files.list(ROOT.resolve(kind))) {
            return files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages a vector expects, rendered as the loader prints them. */
    static List<String> expected(Path file) {
        List<String> expected = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (!line.startsWith("# expect: ")) {
                    continue;
                }
                String[] parts = line.substring("# expect: ".length()).split(" ", 3);
                String where = parts[1].equals("-") ? "config" : file + ":" + parts[1];
                expected.add("[" + parts[0] + "] " + where + ": " + parts[2]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return expected;
    }

    static List<String> actual(LoadResult result) {
        return result.diagnostics().stream().map(Diagnostic::toString).toList();
    }
}
