package dev.sluice.balancer.http;

import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;

/**
 * The transfer codings of one message head, as its Transfer-Encoding fields list them (a list may
 * be split over several fields; RFC 9112 §6.1): what the request and response parsers need to
 * know is whether chunked is applied once, as the final coding. One per parser; reset per head.
 */
final class TransferCodings {
    private boolean present;
    private boolean lastChunked;
    private int chunkedCount;

    void reset() {
        present = false;
        lastChunked = false;
        chunkedCount = 0;
    }

    /** Adds the codings of one Transfer-Encoding field. */
    void add(AsciiString value) {
        present = true;
        int from = 0;
        int length = value.length();
        while (from <= length) {
            int comma = value.indexOf(',', from);
            int to = comma < 0 ? length : comma;
            AsciiString coding = value.subSequence(from, to, false).trim();
            if (!coding.isEmpty()) {
                lastChunked = coding.contentEqualsIgnoreCase(HttpHeaderValues.CHUNKED);
                chunkedCount += lastChunked ? 1 : 0;
            }
            from = to + 1;
        }
    }

    /** Whether the head had a Transfer-Encoding field. */
    boolean present() {
        return present;
    }

    /** Whether chunked is the final coding and applied once: the only framing a proxy can follow. */
    boolean chunkedOnceAndLast() {
        return lastChunked && chunkedCount == 1;
    }
}
