package dev.sluice.balancer.format;

import dev.sluice.balancer.acl.SampleExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Compiles HAProxy log-format strings: literal text, {@code %%}, {@code %X} aliases looked up in an
 * {@link AliasTable}, {@code %[fetch,conv…]} samples parsed by the caller's sample parser, and
 * {@code %{+Q}}-style flags before either ({@code +Q} quote, {@code +X} hexadecimal, {@code +E}
 * escape; {@code -X} clears one).
 */
public final class FormatCompiler {

    private final AliasTable aliases;
    private final Function<String, SampleExpression> samples;
    private final boolean logLine;

    private FormatCompiler(AliasTable aliases, Function<String, SampleExpression> samples, boolean logLine) {
        this.aliases = Objects.requireNonNull(aliases, "aliases");
        this.samples = Objects.requireNonNull(samples, "samples");
        this.logLine = logLine;
    }

    /**
     * For rule values (header values, reply bodies, redirect targets): a missing value renders as
     * nothing and {@code +Q} adds no quotes, as haproxy 2.6 does there.
     *
     * @param samples parses a sample expression; it throws with a message when it cannot
     */
    public static FormatCompiler forValues(AliasTable aliases, Function<String, SampleExpression> samples) {
        return new FormatCompiler(aliases, samples, false);
    }

    /** For access log lines: a missing value renders as {@code -}, {@code +Q} quotes. */
    public static FormatCompiler forLogLines(AliasTable aliases, Function<String, SampleExpression> samples) {
        return new FormatCompiler(aliases, samples, true);
    }

    public FormatString compile(String text) {
        List<FormatString.Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && text.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            i++;
            int flags = 0;
            if (i < n && text.charAt(i) == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    throw new FormatException("missing '}' after '%{' in log-format '" + text + "'");
                }
                flags = flags(text.substring(i + 1, close), text);
                i = close + 1;
            }
            if (i < n && text.charAt(i) == '[') {
                int close = closingBracket(text, i);
                String expression = text.substring(i + 1, close);
                if (expression.isEmpty()) {
                    throw new FormatException("empty sample expression '%[]' in log-format '" + text + "'");
                }
                flush(literal, parts);
                parts.add(new FormatString.SamplePart(samples.apply(expression), flags));
                i = close + 1;
                continue;
            }
            int start = i;
            while (i < n && Character.isLetter(text.charAt(i))) {
                i++;
            }
            String name = text.substring(start, i);
            if (name.isEmpty()) {
                throw new FormatException("'%' must be followed by an alias, '[', '{' or '%' in log-format '" + text
                        + "' (write '%%' for a percent sign)");
            }
            Alias alias = aliases.get(name);
            if (alias == null) {
                if (AliasTable.DEFERRED.contains(name)) {
                    throw new FormatException("log-format alias '%" + name + "' is not supported yet here: it needs "
                            + "the access log's timers and state, which only 'log-format' lines have");
                }
                throw new FormatException("no such log-format alias '%" + name + "' in '" + text + "'");
            }
            flush(literal, parts);
            parts.add(new FormatString.AliasPart(name, alias, flags));
        }
        flush(literal, parts);
        return new FormatString(text, parts.toArray(new FormatString.Part[0]), logLine);
    }

    private static void flush(StringBuilder literal, List<FormatString.Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new FormatString.Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /**
     * The ']' that ends the sample opened at {@code open}; brackets inside parentheses or escaped do
     * not count. Shared with the access log's formats.
     */
    public static int closingBracket(String text, int open) {
        int depth = 0;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ']' && depth == 0) {
                return i;
            }
        }
        throw new FormatException("missing ']' after '%[' in log-format '" + text + "'");
    }

    private static int flags(String written, String text) {
        int flags = 0;
        int i = 0;
        while (i < written.length()) {
            char sign = written.charAt(i);
            if (sign == ',') {
                i++;
                continue;
            }
            if ((sign != '+' && sign != '-') || i + 1 >= written.length()) {
                throw new FormatException("bad flag '" + written + "' in log-format '" + text
                        + "' (expected: +Q, +X, +E or -Q, -X, -E)");
            }
            int flag = switch (written.charAt(i + 1)) {
                case 'Q' -> FormatString.QUOTE;
                case 'X' -> FormatString.HEX;
                case 'E' -> FormatString.ESCAPE;
                default -> throw new FormatException("unknown flag '" + written.substring(i, i + 2)
                        + "' in log-format '" + text + "' (expected: Q, X or E)");
            };
            flags = sign == '+' ? flags | flag : flags & ~flag;
            i += 2;
        }
        return flags;
    }
}
