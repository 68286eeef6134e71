package dev.sluice.terminator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads hitch.conf syntax into settings, without judging keys or values (that is
 * {@link ConfigBuilder}'s job, shared with the command line). The syntax: {@code key = value}
 * where the value is a quoted string or bare words up to the end of the line (e.g.
 * {@code tls-protos = TLSv1.2 TLSv1.3}); {@code key = { … }} blocks holding more assignments;
 * {@code #} comments to the end of the line.
 */
public final class HitchConfParser {
    /** A config longer than this is a mistake (hitch itself stops at 10,000 lines). */
    static final int MAX_BYTES = 1 << 20;
    /** Blocks nest once in hitch ({@code frontend = { pem-file = { … } }}); allow no deeper. */
    static final int MAX_DEPTH = 2;

    private final Path file;
    private final List<Token> tokens;
    private int position;

    private HitchConfParser(Path file, List<Token> tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    public static List<Setting> parse(Path file) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw ConfigException.at(Origin.file(file, 1), "file larger than " + MAX_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read the configuration file: " + e.getMessage()));
        }
        return parse(file, text);
    }

    static List<Setting> parse(Path file, String text) throws ConfigException {
        HitchConfParser parser = new HitchConfParser(file, Lexer.tokens(file, text));
        List<Setting> settings = parser.assignments(0);
        if (parser.position < parser.tokens.size()) {
            throw parser.error(parser.peek(), "unexpected '" + parser.peek().text() + "'");
        }
        return settings;
    }

    private List<Setting> assignments(int depth) throws ConfigException {
        List<Setting> settings = new ArrayList<>();
        while (position < tokens.size() && peek().kind() != Kind.CLOSE) {
            settings.add(assignment(depth));
        }
        return settings;
    }

    private Setting assignment(int depth) throws ConfigException {
        Token key = next();
        if (key.kind() != Kind.WORD) {
            throw error(key, "expected a key, found '" + key.text() + "'");
        }
        Token equals = position < tokens.size() ? next() : null;
        if (equals == null || equals.kind() != Kind.EQUALS) {
            throw error(equals == null ? key : equals, "expected '=' after '" + key.text() + "'");
        }
        Origin origin = Origin.file(file, key.line());
        if (position < tokens.size() && peek().kind() == Kind.OPEN) {
            Token open = next();
            if (depth >= MAX_DEPTH) {
                throw error(open, "blocks nest too deep");
            }
            List<Setting> block = assignments(depth + 1);
            if (position >= tokens.size()) {
                throw error(open, "block '" + key.text() + " = {' is never closed with '}'");
            }
            next();
            return new Setting(key.text(), null, block, origin);
        }
        return Setting.of(key.text(), value(key), origin);
    }

    /** Words on the key's line, up to a '}' or the next {@code key =}; an empty quoted string is "". */
    private String value(Token key) throws ConfigException {
        StringBuilder value = new StringBuilder();
        int words = 0;
        while (position < tokens.size()) {
            Token token = peek();
            boolean startsNextAssignment = position + 1 < tokens.size() && tokens.get(position + 1).kind() == Kind.EQUALS;
            if (token.line() != key.line() || token.kind() == Kind.CLOSE || startsNextAssignment) {
                break;
            }
            if (token.kind() != Kind.WORD && token.kind() != Kind.QUOTED) {
                throw error(token, "unexpected '" + token.text() + "' in the value of '" + key.text() + "'");
            }
            next();
            if (words++ > 0) {
                value.append(' ');
            }
            value.append(token.text());
        }
        if (words == 0) {
            throw error(key, "missing value after '" + key.text() + " ='");
        }
        return value.toString();
    }

    private Token peek() {
        return tokens.get(position);
    }

    private Token next() {
        return tokens.get(position++);
    }

    private ConfigException error(Token at, String problem) {
        return ConfigException.at(Origin.file(file, at.line()), problem);
    }

    enum Kind { WORD, QUOTED, EQUALS, OPEN, CLOSE }

    record Token(Kind kind, String text, int line) {
    }

    /** Splits the text into tokens, each with its line number. */
    private static final class Lexer {
        static List<Token> tokens(Path file, String text) throws ConfigException {
            List<Token> tokens = new ArrayList<>();
            int line = 1;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '\n') {
                    line++;
                    i++;
                } else if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#') {
                    while (i < text.length() && text.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '=' || c == '{' || c == '}') {
                    Kind kind = c == '=' ? Kind.EQUALS : c == '{' ? Kind.OPEN : Kind.CLOSE;
                    tokens.add(new Token(kind, String.valueOf(c), line));
                    i++;
                } else if (c == '"') {
                    int end = quotedEnd(file, text, i, line);
                    tokens.add(new Token(Kind.QUOTED, unescape(text.substring(i + 1, end)), line));
                    i = end + 1;
                } else {
                    int start = i;
                    while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                            && "={}\"#".indexOf(text.charAt(i)) < 0) {
                        i++;
                    }
                    tokens.add(new Token(Kind.WORD, text.substring(start, i), line));
                }
            }
            return tokens;
        }

        private static int quotedEnd(Path file, String text, int open, int line) throws ConfigException {
            for (int i = open + 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return i;
                } else if (c == '\n') {
                    break;
                }
            }
            throw ConfigException.at(Origin.file(file, line), "unterminated quoted string");
        }

        private static String unescape(String quoted) {
            if (quoted.indexOf('\\') < 0) {
                return quoted;
            }
            StringBuilder out = new StringBuilder(quoted.length());
            for (int i = 0; i < quoted.length(); i++) {
                char c = quoted.charAt(i);
                if (c == '\\' && i + 1 < quoted.length()) {
                    c = quoted.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
    }
}
