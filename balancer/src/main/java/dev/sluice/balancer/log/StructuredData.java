package dev.sluice.balancer.log;

/**
 * How a line carries its RFC 5424 structured data ({@code log-format-sd}) to the sinks without an
 * object per line: the data comes first, after its length in {@link #LENGTH_DIGITS} digits and a
 * space, and the line follows; the logger call bears {@link AccessLog#STRUCTURED}. A {@code format
 * rfc5424} sink writes the data in the header's SD field; the others drop it, as HAProxy does.
 */
final class StructuredData {
    static final int LENGTH_DIGITS = 5;
    /** The longest data the prefix can announce; longer data is cut there. */
    static final int MAX_LENGTH = 99_999;

    private StructuredData() {
    }

    /** Writes the prefix's room; returns where the data starts. */
    static int open(StringBuilder line) {
        line.append("00000 ");
        return line.length();
    }

    /** Fills the prefix with the length of what was written since {@code start}. */
    static void close(StringBuilder line, int start) {
        int length = line.length() - start;
        if (length > MAX_LENGTH) {
            line.setLength(start + MAX_LENGTH);
            length = MAX_LENGTH;
        }
        int at = start - 2;
        for (int i = 0; i < LENGTH_DIGITS; i++) {
            line.setCharAt(at - i, (char) ('0' + length % 10));
            length /= 10;
        }
    }

    /** The length of the data in {@code text}, which starts with the prefix. */
    static int length(CharSequence text) {
        int length = 0;
        for (int i = 0; i < LENGTH_DIGITS; i++) {
            length = length * 10 + (text.charAt(i) - '0');
        }
        return length;
    }

    /** Where the data starts in a text that begins with the prefix. */
    static int dataStart() {
        return LENGTH_DIGITS + 1;
    }
}
