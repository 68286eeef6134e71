package dev.sluice.balancer.format;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.acl.SampleSink;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * A log-format string compiled once: literal text, {@code %X} aliases and {@code %[sample]}
 * expressions, each with its {@code %{+Q}} style flags. Rendering appends to the caller's
 * {@link StringBuilder}; it allocates nothing of its own for literals, aliases without dates,
 * and samples without converters. Immutable and shared by every connection.
 */
public final class FormatString {

    /** The flags of one part: {@code +Q} quote, {@code +X} hexadecimal integers, {@code +E} escape. */
    static final int QUOTE = 1;
    static final int HEX = 2;
    static final int ESCAPE = 4;

    private static final FastThreadLocal<Appender> APPENDERS = new FastThreadLocal<>() {
        @Override
        protected Appender initialValue() {
            return new Appender();
        }
    };

    sealed interface Part permits Literal, AliasPart, SamplePart {
    }

    record Literal(String text) implements Part {
    }

    record AliasPart(String name, Alias alias, int flags) implements Part {
    }

    record SamplePart(SampleExpression expression, int flags) implements Part {
    }

    private final String text;
    private final Part[] parts;
    private final String constant;
    /** Log lines show a missing value as {@code -} and honour {@code +Q}; rule values (headers, bodies) do neither, as HAProxy. */
    private final boolean logLine;

    FormatString(String text, Part[] parts, boolean logLine) {
        this.text = text;
        this.parts = parts;
        this.logLine = logLine;
        String only = null;
        if (parts.length == 0) {
            only = "";
        } else if (parts.length == 1 && parts[0] instanceof Literal literal) {
            only = literal.text();
        }
        this.constant = only;
    }

    /** A format that is only {@code text}, taken literally (no {@code %} processing). */
    public static FormatString literal(String text) {
        return new FormatString(text, text.isEmpty() ? new Part[0] : new Part[] {new Literal(text)}, false);
    }

    /** The string as written in the configuration. */
    public String text() {
        return text;
    }

    /** The rendered value when it has no alias or sample (then rendering can be skipped), else null. */
    public String constant() {
        return constant;
    }

    /** Appends the rendered value to {@code out}. */
    public void render(StringBuilder out, FormatContext context) {
        for (Part part : parts) {
            switch (part) {
                case Literal literal -> out.append(literal.text());
                case AliasPart alias -> renderAlias(out, context, alias, logLine);
                case SamplePart sample -> renderSample(out, context, sample, logLine);
            }
        }
    }

    /** A new String with the rendered value (for callers that must keep it). */
    public String renderToString(FormatContext context) {
        if (constant != null) {
            return constant;
        }
        StringBuilder out = new StringBuilder(32);
        render(out, context);
        return out.toString();
    }

    private static void renderAlias(StringBuilder out, FormatContext context, AliasPart part, boolean logLine) {
        boolean quote = logLine && (part.flags() & QUOTE) != 0;
        if (quote) {
            out.append('"');
        }
        int mark = out.length();
        if (!part.alias().append(out, context)) {
            out.setLength(quote ? mark - 1 : mark);
            if (logLine) {
                out.append('-');
            }
            return;
        }
        if ((part.flags() & ESCAPE) != 0) {
            escape(out, mark);
        }
        if (quote) {
            out.append('"');
        }
    }

    private static void renderSample(StringBuilder out, FormatContext context, SamplePart part, boolean logLine) {
        Appender appender = APPENDERS.get();
        boolean quote = logLine && (part.flags() & QUOTE) != 0;
        if (quote) {
            out.append('"');
        }
        int mark = out.length();
        appender.start(out, part.flags());
        boolean found = part.expression().evaluate(context.request(), appender);
        appender.out = null;
        if (!found) {
            out.setLength(quote ? mark - 1 : mark);
            if (logLine) {
                out.append('-');
            }
            return;
        }
        if ((part.flags() & ESCAPE) != 0) {
            escape(out, mark);
        }
        if (quote) {
            out.append('"');
        }
    }

    /** Backslash before {@code "} and {@code \} from {@code from} on, as {@code +E} asks. */
    private static void escape(StringBuilder out, int from) {
        for (int i = from; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '"' || c == '\\') {
                out.insert(i, '\\');
                i++;
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /** Writes one sample value into the builder it was started on. */
    private static final class Appender implements SampleSink {
        StringBuilder out;
        int flags;

        void start(StringBuilder target, int partFlags) {
            out = target;
            flags = partFlags;
        }

        @Override
        public boolean string(CharSequence chars, int from, int to) {
            out.append(chars, from, to);
            return true;
        }

        @Override
        public boolean integer(long value) {
            if ((flags & HEX) != 0) {
                String hex = Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
                out.append(hex);
            } else {
                out.append(value);
            }
            return true;
        }

        @Override
        public boolean ip(IpAddress address) {
            out.append(address.toString());
            return true;
        }

        @Override
        public boolean bool(boolean value) {
            out.append(value ? '1' : '0');
            return true;
        }
    }
}
