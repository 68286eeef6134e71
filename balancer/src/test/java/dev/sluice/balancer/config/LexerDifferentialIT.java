package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.lex.Lexer;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our lexer against haproxy's own: a tricky word is put first on a line of the global section,
 * haproxy echoes it back in "unknown keyword '…'", and we must have read the same word.
 */
class LexerDifferentialIT {

    private static final Map<String, String> ENV = Map.of("LEX_FOO", "bar", "LEX_TWO", "p q", "LEX_EMPTY", "");
    private static final Pattern ECHO = Pattern.compile("unknown keyword '(.*)' in 'global' section", Pattern.DOTALL);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "plain", "a\\ b", "a\\#b", "a\\\\b", "a\\'b", "a\\\"b", "a\\x41b", "a\\qb", "a\\$b", "a\\",
        "\"a\\$b\"", "\"a\\ b\\zc\"", "'a$LEX_FOO\\x41'x", "a$LEX_FOO", "\"a$LEX_FOO\"", "\"a${LEX_FOO}b\"",
        "\"a${LEX_NOPE}b\"", "\"a${LEX_NOPE-dflt}b\"", "\"a${LEX_FOO-dflt}b\"", "\"$LEX_FOO-x\"",
        "ab\"c d\"e", "\"a'b\"", "'a\"b'", "a#b", "\"a#b\"", "\"a${LEX_TWO[*]}b\"", "\"${LEX_TWO}\"",
        "x\"${LEX_EMPTY}\"y", "\"a\\tb\"",
    })
    void firstWordIsReadAlike(String word) throws IOException {
        Path file = Files.writeString(dir.resolve("lex.cfg"), "global\n    " + word + " tail\n");
        String theirs;
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy-lex",
                List.of(Sluice.tool("haproxy"), "-c", "-f", file.toString()), ENV, null)) {
            haproxy.awaitExit(Duration.ofSeconds(30));
            Matcher echo = ECHO.matcher(haproxy.output());
            assertTrue(echo.find(), haproxy.output());
            theirs = echo.group(1);
        }
        Diagnostics diagnostics = new Diagnostics();
        List<Line> ours = new Lexer(ENV).lex("lex.cfg", Files.readString(file), diagnostics);
        assertEquals(List.of(), diagnostics.list());
        assertEquals(theirs, ours.get(1).keyword());
    }
}
