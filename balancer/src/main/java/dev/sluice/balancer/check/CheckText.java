package dev.sluice.balancer.check;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log-format strings a tcp-check may carry ({@code send-lf}, {@code on-success}, {@code on-error},
 * {@code status-code}), reduced to what checks need: literal text, the response bytes
 * ({@code %[res.payload(OFFSET,LENGTH)]} with the {@code ltrim(C)} and {@code cut_crlf} converters) and,
 * for {@code option ssl-hello-chk}, the current Unix time in hex. Anything else is refused when parsed.
 */
public record CheckText(List<Part> parts) {

    /** One piece of the text. */
    public sealed interface Part {
    }

    /** Text as written. */
    public record Literal(String text) implements Part {
        public Literal {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code res.payload(offset,length)}: {@code length} 0 means up to the end of the input.
     *
     * @param ltrim   0: none; else the character {@code ltrim} removes from the start
     * @param cutCrlf {@code cut_crlf}: stop at the first CR or LF
     */
    public record Payload(int offset, int length, char ltrim, boolean cutCrlf) implements Part {
        public Payload {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("payload(" + offset + "," + length + "): expected >= 0");
            }
        }
    }

    /** {@code %[date(),htonl,hex]}: the Unix time in seconds as 8 hex digits. */
    public record UnixTimeHex() implements Part {
    }

    private static final Pattern EXPRESSION = Pattern.compile(
            "res\\.payload\\((\\d+),(\\d+)\\)((?:,ltrim\\('?[^')]'?\\))?)((?:,cut_crlf)?)");

    public CheckText {
        parts = List.copyOf(parts);
    }

    public static CheckText literal(String text) {
        return new CheckText(List.of(new Literal(text)));
    }

    /**
     * Parses {@code format}; throws {@link IllegalArgumentException} with the reason for what checks do not
     * support (variables, other fetches or converters).
     */
    public static CheckText parse(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                text.append(c);
                i++;
                continue;
            }
            if (format.startsWith("%%", i)) {
                text.append('%');
                i += 2;
                continue;
            }
            int end = format.indexOf(']', i);
            if (!format.startsWith("%[", i) || end < 0) {
                throw new IllegalArgumentException("log-format variables other than %[res.payload(...)] are not "
                        + "supported yet in checks");
            }
            parts.add(text(text));
            parts.add(payload(format.substring(i + 2, end)));
            i = end + 1;
        }
        parts.add(text(text));
        parts.removeIf(p -> p instanceof Literal l && l.text().isEmpty());
        return new CheckText(parts);
    }

    /** {@code res.payload(O,L)[,ltrim(C)][,cut_crlf]}, as a part; used by {@code status-code} too. */
    public static Payload payload(String expression) {
        Matcher m = EXPRESSION.matcher(expression);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + expression + "': only res.payload(OFFSET,LENGTH) with the "
                    + "ltrim and cut_crlf converters is supported yet in checks");
        }
        String trim = m.group(3).replace(",ltrim(", "").replace(")", "").replace("'", "");
        return new Payload(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                trim.isEmpty() ? 0 : trim.charAt(0), !m.group(4).isEmpty());
    }

    private static Literal text(StringBuilder text) {
        Literal literal = new Literal(text.toString());
        text.setLength(0);
        return literal;
    }

    /** Whether the text depends on nothing but itself. */
    public boolean constant() {
        return parts.stream().allMatch(p -> p instanceof Literal);
    }

    /** The text for a response holding {@code input[0..length)}, at {@code unixSeconds}. */
    public String render(byte[] input, int length, long unixSeconds) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case Payload p -> out.append(payloadText(p, input, length));
                case UnixTimeHex t -> out.append(HexFormat.of().withUpperCase().toHexDigits((int) unixSeconds));
            }
        }
        return out.toString();
    }

    static String payloadText(Payload p, byte[] input, int length) {
        if (p.offset() > length) {
            return "";
        }
        int end = p.length() == 0 ? length : Math.min(length, p.offset() + p.length());
        String text = new String(input, p.offset(), end - p.offset(), StandardCharsets.ISO_8859_1);
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            text = text.substring(0, nul); // HAProxy's texts are C strings: a NUL ends them (pgsql's error fields)
        }
        if (p.ltrim() != 0) {
            int start = 0;
            while (start < text.length() && text.charAt(start) == p.ltrim()) {
                start++;
            }
            text = text.substring(start);
        }
        if (p.cutCrlf()) {
            int cut = 0;
            while (cut < text.length() && text.charAt(cut) != '\r' && text.charAt(cut) != '\n') {
                cut++;
            }
            text = text.substring(0, cut);
        }
        return text;
    }
}
