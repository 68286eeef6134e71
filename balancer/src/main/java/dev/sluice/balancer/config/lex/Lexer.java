package dev.sluice.balancer.config.lex;

import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Splits HAProxy configuration text into lines of words, with HAProxy 2.6's rules
 * (configuration.txt 2.2 and 2.3): blanks separate words, {@code #} starts a comment, a backslash
 * escapes one character, single quotes keep everything verbatim, double quotes expand
 * {@code $NAME}, {@code ${NAME}}, {@code ${NAME-default}} and {@code ${NAME[*]}} (split into words)
 * and still honour escapes. Quoted and unquoted parts glue into one word. A line with a lexical
 * error is reported and dropped so that the following lines are still checked. Lines are handed
 * on one at a time, so that a {@code setenv} reaches the lines after it ({@link Environment}).
 */
public final class Lexer {

    private final Environment environment;

    public Lexer(Map<String, String> environment) {
        this(new Environment(environment));
    }

    public Lexer(Environment environment) {
        this.environment = environment;
    }

    /** All lines of {@code text}, expanded with the environment as it is now. */
    public List<Line> lex(String file, String text, Diagnostics diagnostics) {
        List<Line> lines = new ArrayList<>();
        lex(file, text, diagnostics, lines::add);
        return lines;
    }

    /**
     * Hands each line of {@code text} to {@code each} as soon as it is scanned: a line's expansion
     * sees what the lines before it did to the environment.
     */
    public void lex(String file, String text, Diagnostics diagnostics, Consumer<Line> each) {
        String[] physical = text.split("\r?\n", -1);
        for (int i = 0; i < physical.length; i++) {
            SourceLocation where = new SourceLocation(file, i + 1);
            try {
                List<String> words = new LineScanner(physical[i]).scan();
                // HAProxy ignores a line whose first word is empty (blank, comment, or "" first).
                if (!words.isEmpty() && !words.get(0).isEmpty()) {
                    each.accept(new Line(where, words));
                }
            } catch (LexError e) {
                diagnostics.alert(where, e.getMessage());
            }
        }
    }

    private static final class LexError extends Exception {
        LexError(String message, int column) {
            super(message + " at column " + (column + 1), null, false, false);
        }
    }

    /** Scans one physical line; one instance per line. */
    private final class LineScanner {
        private final String text;
        private final List<String> words = new ArrayList<>();
        private final StringBuilder word = new StringBuilder();
        private boolean inWord;
        private int pos;

        LineScanner(String text) {
            this.text = text;
        }

        List<String> scan() throws LexError {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t') {
                    endWord();
                    pos++;
                } else if (c == '#') {
                    break;
                } else if (c == '\'') {
                    singleQuoted();
                } else if (c == '"') {
                    doubleQuoted();
                } else if (c == '\\') {
                    escape(false);
                } else {
                    word.append(c);
                    inWord = true;
                    pos++;
                }
            }
            endWord();
            return words;
        }

        private void endWord() {
            if (inWord) {
                words.add(word.toString());
                word.setLength(0);
                inWord = false;
            }
        }

        private void singleQuoted() throws LexError {
            int open = pos;
            int close = text.indexOf('\'', pos + 1);
            if (close < 0) {
                throw new LexError("unmatched quote", open);
            }
            word.append(text, open + 1, close);
            inWord = true;
            pos = close + 1;
        }

        private void doubleQuoted() throws LexError {
            int open = pos++;
            inWord = true;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return;
                } else if (c == '\\') {
                    escape(true);
                } else if (c == '$') {
                    expand();
                } else {
                    word.append(c);
                    pos++;
                }
            }
            throw new LexError("unmatched quote", open);
        }

        /** A backslash at {@code pos}; unknown sequences stay as written, as HAProxy does. */
        private void escape(boolean inDoubleQuotes) throws LexError {
            inWord = true;
            if (pos + 1 >= text.length()) {
                word.append('\\');
                pos++;
                return;
            }
            char next = text.charAt(pos + 1);
            switch (next) {
                case ' ', '#', '\\', '\'', '"' -> word.append(next);
                case 'r' -> word.append('\r');
                case 'n' -> word.append('\n');
                case 't' -> word.append('\t');
                case 'x' -> {
                    word.append(hexByte());
                    pos += 4;
                    return;
                }
                case '$' -> {
                    if (!inDoubleQuotes) {
                        word.append('\\');
                    }
                    word.append('$');
                }
                default -> word.append('\\').append(next);
            }
            pos += 2;
        }

        private char hexByte() throws LexError {
            if (pos + 3 >= text.length()) {
                throw new LexError("truncated or invalid hexadecimal sequence", pos);
            }
            int high = Character.digit(text.charAt(pos + 2), 16);
            int low = Character.digit(text.charAt(pos + 3), 16);
            if (high < 0 || low < 0) {
                throw new LexError("truncated or invalid hexadecimal sequence", pos);
            }
            return (char) (high * 16 + low);
        }

        /** {@code $} at {@code pos} inside double quotes. */
        private void expand() throws LexError {
            int dollar = pos;
            boolean braced = pos + 1 < text.length() && text.charAt(pos + 1) == '{';
            int start = braced ? pos + 2 : pos + 1;
            int end = start;
            while (end < text.length() && isNameChar(text.charAt(end))) {
                end++;
            }
            if (end == start || Character.isDigit(text.charAt(start))) {
                throw new LexError("forbidden first char in environment variable name", start);
            }
            String name = text.substring(start, end);
            String value = environment.get(name);
            boolean split = false;
            if (braced) {
                int close = text.indexOf('}', end);
                if (close < 0) {
                    throw new LexError("unmatched brace in environment variable name", dollar + 1);
                }
                String modifier = text.substring(end, close);
                if (modifier.equals("[*]")) {
                    split = true;
                } else if (modifier.startsWith("-")) {
                    value = value == null ? modifier.substring(1) : value;
                } else if (!modifier.isEmpty()) {
                    throw new LexError("unexpected '" + modifier + "' in environment variable '" + name + "'", end);
                }
                pos = close + 1;
            } else {
                pos = end;
            }
            appendValue(value == null ? "" : value, split);
        }

        /** {@code ${NAME[*]}} turns the value's blanks into word separators. */
        private void appendValue(String value, boolean split) {
            if (!split) {
                word.append(value);
                return;
            }
            String[] parts = value.trim().split("[ \t]+");
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    endWord();
                    inWord = true;
                }
                word.append(parts[i]);
            }
        }

        private static boolean isNameChar(char c) {
            return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
    }
}
