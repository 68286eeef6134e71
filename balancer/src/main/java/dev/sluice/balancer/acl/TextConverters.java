package dev.sluice.balancer.acl;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * String converters with HAProxy 2.6's semantics: {@code length}, {@code bytes}, {@code ltrim},
 * {@code rtrim}, {@code cut_crlf}, {@code host_only}, {@code port_only} pass ranges of their input
 * (no allocation); {@code concat} and {@code regsub} build into a per-thread buffer; {@code strcmp},
 * {@code concat} and {@code secure_memcmp} read a variable of the request.
 */
final class TextConverters {

    private static final String[] NO_TYPES = new String[0];

    private TextConverters() {
    }

    static Converters.Converter length(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, NO_TYPES);
        return ConverterStages.of(n, SampleType.INT, false, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                return next.integer(to - from);
            }
        });
    }

    /**
     * {@code bytes(offset[,length])}: a negative or too large offset gives an empty sample; a
     * negative length is ignored.
     */
    static Converters.Converter bytes(String n, List<String> a, CompileContext c, String e) {
        if (a.isEmpty()) {
            throw AclException.invalid("invalid arg 1 in converter '" + n
                    + "' : expected type 'integer' at position 1, but got nothing.");
        }
        Converters.arguments(n, a, 1, 2, new String[] {"integer", "integer"});
        long offset = Converters.integerArgument(n, a, 0);
        long length = a.size() > 1 ? Converters.integerArgument(n, a, 1) : -1;
        return ConverterStages.of(n, SampleType.STR, false, next -> new ConverterStages.OfBinary() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                if (offset < 0 || offset >= to - from) {
                    return next.string(s, from, from);
                }
                int start = from + (int) offset;
                int end = length >= 0 && length < to - start ? start + (int) length : to;
                return next.string(s, start, end);
            }
        });
    }

    static Converters.Converter ltrim(String n, List<String> a, CompileContext c, String e) {
        return trim(n, a, true);
    }

    static Converters.Converter rtrim(String n, List<String> a, CompileContext c, String e) {
        return trim(n, a, false);
    }

    private static Converters.Converter trim(String name, List<String> args, boolean left) {
        Converters.arguments(name, args, 0, 1, new String[] {"string"});
        String chars = args.isEmpty() ? "" : args.get(0);
        return ConverterStages.of(name, SampleType.STR, false, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                if (left) {
                    while (from < to && chars.indexOf(s.charAt(from)) >= 0) {
                        from++;
                    }
                } else {
                    while (to > from && chars.indexOf(s.charAt(to - 1)) >= 0) {
                        to--;
                    }
                }
                return next.string(s, from, to);
            }
        });
    }

    static Converters.Converter cutCrlf(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, NO_TYPES);
        return ConverterStages.of(n, SampleType.STR, false, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                int end = from;
                while (end < to && s.charAt(end) != '\r' && s.charAt(end) != '\n') {
                    end++;
                }
                return next.string(s, from, end);
            }
        });
    }

    /** The index of the port's colon in a Host value ({@code host:80}, {@code [::1]:80}), or -1. */
    private static int portColon(CharSequence s, int from, int to) {
        for (int p = to - 1; p >= from; p--) {
            char ch = s.charAt(p);
            if (ch == ':') {
                return p;
            }
            if (ch == ']') {
                return -1;
            }
        }
        return -1;
    }

    /** {@code host_only}: the Host value without its port, in lower case. */
    static Converters.Converter hostOnly(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, NO_TYPES);
        Converters.Converter lower = Converters.create("lower", List.of(), c, "str", e);
        return ConverterStages.of(n, SampleType.STR, false, next -> {
            SampleSink lowered = lower.chain(next);
            return new Sinks.OfString() {
                @Override
                public boolean string(CharSequence s, int from, int to) {
                    int colon = portColon(s, from, to);
                    return lowered.string(s, from, colon < 0 ? to : colon);
                }
            };
        });
    }

    /**
     * {@code port_only}: the digits after the port's colon read as HAProxy 2.6 reads them (each char
     * minus '0', as an unsigned 32-bit value, without validation), or 0 when there is no port.
     */
    static Converters.Converter portOnly(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, NO_TYPES);
        return ConverterStages.of(n, SampleType.INT, false, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                int colon = portColon(s, from, to);
                int port = 0;
                for (int i = colon < 0 ? to : colon + 1; i < to; i++) {
                    port = port * 10 + (s.charAt(i) - '0');
                }
                return next.integer(port & 0xffff_ffffL);
            }
        });
    }

    /** {@code concat([start],[var],[end])}: appends the constants and the variable's text (nothing if unset). */
    static Converters.Converter concat(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 3, new String[] {"string", "string", "string"});
        String start = a.isEmpty() ? "" : a.get(0);
        String variable = a.size() > 1 && !a.get(1).isEmpty() ? a.get(1) : null;
        String end = a.size() > 2 ? a.get(2) : "";
        if (variable != null) {
            ConverterStages.variableArgument(n, variable, "failed to register variable name '" + variable + "'.");
        }
        ConverterStages.Scratch scratch = new ConverterStages.Scratch();
        return ConverterStages.of(n, SampleType.STR, variable != null, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                StringBuilder b = scratch.take();
                b.append(s, from, to).append(start);
                if (variable != null) {
                    String v = ConverterStages.variableText(variable);
                    if (v != null) {
                        b.append(v);
                    }
                }
                b.append(end);
                return next.string(b, 0, b.length());
            }
        });
    }

    /**
     * {@code strcmp(var)}: the difference of the first differing bytes, else -1 or 1 when one is a
     * prefix of the other, else 0 (glibc's memcmp, which HAProxy calls); fails when the variable is unset.
     */
    static Converters.Converter strcmp(String n, List<String> a, CompileContext c, String e) {
        String variable = variable(n, a);
        return ConverterStages.of(n, SampleType.INT, true, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                String v = ConverterStages.variableText(variable);
                if (v == null) {
                    return false;
                }
                int common = Math.min(to - from, v.length());
                for (int i = 0; i < common; i++) {
                    int d = (s.charAt(from + i) & 0xff) - (v.charAt(i) & 0xff);
                    if (d != 0) {
                        return next.integer(d);
                    }
                }
                return next.integer(Integer.compare(to - from, v.length()));
            }
        });
    }

    /** {@code secure_memcmp(var)}: equal bytes, compared in constant time when the lengths agree. */
    static Converters.Converter secureMemcmp(String n, List<String> a, CompileContext c, String e) {
        String variable = variable(n, a);
        return ConverterStages.of(n, SampleType.BOOL, true, next -> new ConverterStages.OfBinary() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                Variables vars = ConverterRequest.variables();
                Object value = vars == null ? null : vars.get(variable);
                if (value == null) {
                    return false;
                }
                CharSequence v = value instanceof Long l ? eightBytes(l) : ConverterStages.variableText(variable);
                if (v.length() != to - from) {
                    return next.bool(false);
                }
                int diff = 0;
                for (int i = 0; i < v.length(); i++) {
                    diff |= (s.charAt(from + i) ^ v.charAt(i)) & 0xff;
                }
                return next.bool(diff == 0);
            }
        });
    }

    private static CharSequence eightBytes(long value) {
        StringBuilder b = new StringBuilder(Long.BYTES);
        ConverterStages.appendBytes(b, value, Long.BYTES);
        return b;
    }

    private static String variable(String name, List<String> args) {
        Converters.arguments(name, args, 0, 1, new String[] {"string"});
        String v = args.isEmpty() ? "" : args.get(0);
        return ConverterStages.variableArgument(name, v, "failed to register variable name '" + v + "'.");
    }

    /**
     * {@code regsub(regex,subst[,flags])}: replaces the first match (every match with {@code g},
     * ignoring case with {@code i}); {@code \0}..{@code \9} in subst insert groups. The pattern is
     * compiled once; each thread reuses its own matcher and output buffer.
     */
    static Converters.Converter regsub(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 2, 3, new String[] {"regex", "string", "string"});
        boolean global = false;
        boolean ignoreCase = false;
        for (char f : (a.size() > 2 ? a.get(2) : "").toCharArray()) {
            switch (f) {
                case 'g' -> global = true;
                case 'i' -> ignoreCase = true;
                default -> throw AclException.invalid("invalid args in converter '" + n + "' : invalid regex flag '"
                        + f + "', only 'i' and 'g' are supported.");
            }
        }
        if (a.get(0).isEmpty()) {
            throw AclException.invalid("invalid args in converter '" + n + "' : missing regex.");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(a.get(0), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException ex) {
            throw AclException.invalid("invalid args in converter '" + n + "' : regex '" + a.get(0)
                    + "' is invalid (" + ex.getDescription() + ").");
        }
        String subst = a.get(1);
        boolean all = global;
        ThreadLocal<Matcher> matchers = ThreadLocal.withInitial(() -> pattern.matcher(""));
        ConverterStages.Scratch scratch = new ConverterStages.Scratch();
        return ConverterStages.of(n, SampleType.STR, false, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                Matcher m = matchers.get().reset(s).region(from, to);
                StringBuilder b = scratch.take();
                int copied = from;
                try {
                    while (m.find()) {
                        b.append(s, copied, m.start());
                        substitute(b, subst, m, s);
                        copied = m.end();
                        if (!all) {
                            break;
                        }
                    }
                    b.append(s, copied, to);
                } finally {
                    m.reset(""); // drop the reference to the request's text
                }
                return next.string(b, 0, b.length());
            }
        });
    }

    private static void substitute(StringBuilder b, String subst, Matcher m, CharSequence s) {
        for (int i = 0; i < subst.length(); i++) {
            char ch = subst.charAt(i);
            if (ch == '\\' && i + 1 < subst.length() && Character.isDigit(subst.charAt(i + 1))) {
                int group = subst.charAt(++i) - '0';
                if (group <= m.groupCount() && m.start(group) >= 0) {
                    b.append(s, m.start(group), m.end(group));
                }
            } else {
                b.append(ch);
            }
        }
    }

    /**
     * {@code add_item(delim,[var][,suffix])}: appends the variable's text and the suffix, with the
     * delimiter first only when the input is not empty and something follows it.
     */
    static Converters.Converter addItem(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 2, 3, new String[] {"string", "string", "string"});
        String delimiter = a.get(0);
        String variable = a.get(1).isEmpty() ? null : a.get(1);
        String suffix = a.size() > 2 ? a.get(2) : "";
        if (variable != null) {
            ConverterStages.variableArgument(n, variable, "failed to register variable name '" + variable + "'.");
        } else if (suffix.isEmpty()) {
            throw AclException.invalid("invalid args in converter '" + n + "' : missing variable name or suffix.");
        }
        ConverterStages.Scratch scratch = new ConverterStages.Scratch();
        return ConverterStages.of(n, SampleType.STR, variable != null, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                String v = variable == null ? null : ConverterStages.variableText(variable);
                boolean more = v != null && !v.isEmpty() || !suffix.isEmpty();
                StringBuilder b = scratch.take().append(s, from, to);
                if (from < to && more) {
                    b.append(delimiter);
                }
                if (v != null) {
                    b.append(v);
                }
                b.append(suffix);
                return next.string(b, 0, b.length());
            }
        });
    }
}
