package dev.sluice.balancer.http;

/**
 * What the request and the response head parsers share: the field reader, the transfer codings
 * met, and the body's framing the last head gave; and {@link #parse}, which brackets the parsing of
 * one head for the field reader. One parser per connection; not thread-safe.
 *
 * @param <M> the message a head becomes
 */
abstract class HeadParser<M> {
    final TransferCodings codings = new TransferCodings();
    final FieldReader fields;

    /** The body's framing found by the last {@link #parse}: a length (-1: none), or chunked. */
    long contentLength;
    boolean chunked;

    HeadParser(FieldReader fields) {
        this.fields = fields;
    }

    /** The fields reader, for a chunked body's trailers. */
    final FieldReader fields() {
        return fields;
    }

    /** -1 when the last head parsed had no Content-Length, or Transfer-Encoding framed its body. */
    final long contentLength() {
        return contentLength;
    }

    final boolean chunked() {
        return chunked;
    }

    /**
     * @param head  the head's bytes, from its first line to its blank line; the message keeps
     *              references into it
     * @param lines where each of its lines starts and ends
     * @throws HeadRefusedException when the head must be refused
     */
    final M parse(byte[] head, HeadScanner lines) {
        fields.beginParsing();
        contentLength = -1;
        chunked = false;
        try {
            return parseHead(head, lines);
        } finally {
            fields.endParsing();
        }
    }

    /** Reads the head whose framing fields {@link #parse} has just reset. */
    abstract M parseHead(byte[] head, HeadScanner lines);
}
