package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.lex.Lexer;
import dev.sluice.balancer.config.lex.Line;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HAProxy 2.6's word splitting, checked against what haproxy itself reads (see the vectors). */
class LexerTest {

    private static final Map<String, String> ENV = Map.of("FOO", "bar", "TWO", "p q", "EMPTY", "");

    private static List<String> words(String text) {
        Diagnostics diagnostics = new Diagnostics();
        List<Line> lines = new Lexer(ENV).lex("t.cfg", text, diagnostics);
        assertEquals(List.of(), diagnostics.list());
        assertEquals(1, lines.size(), "one line expected from: " + text);
        return lines.get(0).words();
    }

    private static String error(String text) {
        Diagnostics diagnostics = new Diagnostics();
        List<Line> lines = new Lexer(ENV).lex("t.cfg", text, diagnostics);
        assertEquals(List.of(), lines);
        assertEquals(1, diagnostics.list().size());
        return diagnostics.list().get(0).toString();
    }

    @Test
    void blanksSeparateWordsAndTabsCount() {
        assertEquals(List.of("server", "s1", "127.0.0.1:80", "check"), words("  server\ts1   127.0.0.1:80\t check  "));
    }

    @Test
    void commentsStartAnywhereOutsideQuotes() {
        assertEquals(List.of("a"), words("a#b c"));
        assertEquals(List.of("a#b", "c#d"), words("\"a#b\" 'c#d' # trailing"));
    }

    @Test
    void blankAndCommentLinesAreSkippedButCountedForLineNumbers() {
        Diagnostics diagnostics = new Diagnostics();
        List<Line> lines = new Lexer(ENV).lex("t.cfg", "# c\n\n   \nglobal\r\n  maxconn 10\n", diagnostics);
        assertEquals(2, lines.size());
        assertEquals(new SourceLocation("t.cfg", 4), lines.get(0).location());
        assertEquals(new SourceLocation("t.cfg", 5), lines.get(1).location());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "a\\ b            | a b",
        "a\\#b            | a#b",
        "a\\\\b           | a\\b",
        "a\\'b            | a'b",
        "a\\\"b           | a\"b",
        "a\\x41b          | aAb",
        "a\\nb            | `a\nb`",
        "a\\qb            | a\\qb",
        "a\\$b            | a\\$b",
        "\"a\\$b\"        | a$b",
        "\"a\\ b\\zc\"    | a b\\zc",
        "'a$FOO\\x41'     | a$FOO\\x41",
        "a$FOO            | a$FOO",
        "\"a$FOO\"        | abar",
        "\"a${FOO}b\"     | abarb",
        "\"a${NOPE}b\"    | ab",
        "\"a${NOPE-dflt}b\" | adfltb",
        "\"a${FOO-dflt}b\" | abarb",
        "\"$FOO-x\"       | bar-x",
        "ab\"c d\"e       | abc de",
        "\"a'b\"          | a'b",
        "'a\"b'           | a\"b",
        "a\\              | a\\",
    })
    void quotingAndEscapes(String input, String expected) {
        assertEquals(List.of(expected), words(input));
    }

    @Test
    void starredVariableSplitsIntoWords() {
        assertEquals(List.of("kw", "ap", "qb"), words("kw \"a${TWO[*]}b\""));
        assertEquals(List.of("kw", "x y"), words("kw \"x y\""));
        assertEquals(List.of("kw", "p q"), words("kw \"${TWO}\""));
    }

    @Test
    void emptyQuotedWordIsAWord() {
        assertEquals(List.of("kw", "", "x"), words("kw \"\" x"));
    }

    @Test
    void lineStartingWithAnEmptyWordIsIgnoredAsHaproxyDoes() {
        Diagnostics diagnostics = new Diagnostics();
        assertEquals(List.of(), new Lexer(ENV).lex("t.cfg", "\"\" x\n\"${EMPTY}\" y", diagnostics));
        assertTrue(diagnostics.list().isEmpty());
    }

    @Test
    void errorsNameTheLineAndColumn() {
        assertEquals("[ALERT] t.cfg:1: unmatched quote at column 6", error("  kw \"abc"));
        assertEquals("[ALERT] t.cfg:1: unmatched quote at column 4", error("kw 'abc"));
        assertEquals("[ALERT] t.cfg:1: truncated or invalid hexadecimal sequence at column 2", error("a\\x4"));
        assertEquals("[ALERT] t.cfg:1: truncated or invalid hexadecimal sequence at column 2", error("a\\xZZ"));
        assertEquals("[ALERT] t.cfg:1: forbidden first char in environment variable name at column 3", error("\"$\""));
        assertEquals("[ALERT] t.cfg:1: forbidden first char in environment variable name at column 3", error("\"$1x\""));
        assertEquals("[ALERT] t.cfg:1: forbidden first char in environment variable name at column 4", error("\"${}\""));
        assertEquals("[ALERT] t.cfg:1: unmatched brace in environment variable name at column 3", error("\"${FOO\""));
        assertEquals("[ALERT] t.cfg:1: unexpected ':x' in environment variable 'FOO' at column 7",
                error("\"${FOO:x}\""));
    }

    @Test
    void anErrorDropsOnlyItsLine() {
        Diagnostics diagnostics = new Diagnostics();
        List<Line> lines = new Lexer(ENV).lex("t.cfg", "a \"b\nc d\n", diagnostics);
        assertEquals(1, lines.size());
        assertEquals(List.of("c", "d"), lines.get(0).words());
        assertEquals(2, lines.get(0).location().line());
        assertEquals(1, diagnostics.list().size());
    }
}
