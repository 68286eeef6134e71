package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * Finds where a request head (or a chunked body's trailer section) ends, across as many reads as
 * it takes, without consuming a byte: it records where each line starts and ends and refuses, as
 * soon as the bytes show it, a bare LF line end (RFC 9112 §2.2: we never guess), a folded header
 * line (§5.2 obs-fold) and a head over its limits. Offsets are relative to the reader index, so
 * they survive the decoder's buffer being replaced between reads. Line contents are checked later,
 * by {@link RequestHeadParser}, over one copy of the whole head.
 *
 * <p>A response head ({@link #forResponses}) is read as HAProxy reads a server's: a bare LF ends a
 * line, and a folded line is left for {@link ResponseHeadParser} to join to the one before; what
 * it refuses is a {@link HttpRefusal#BAD_RESPONSE}.
 */
final class HeadScanner {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int FIRST_LINES = 32;
    /** How many bytes are searched per copy: most request heads fit in one. */
    private static final int WINDOW_BYTES = 2048;
    /** One window per event loop thread: it only lives during one {@link #scan}. */
    private static final FastThreadLocal<byte[]> WINDOW = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[WINDOW_BYTES];
        }
    };

    private final boolean startLine;
    private final int maxStartLine;
    private final int maxFields;
    /** A server's head: bare LF line ends and folded lines pass, refusals are bad responses. */
    private final boolean response;
    /** Offset of the CR (or, in a response, bare LF) ending each complete line, blank line excluded. */
    private int[] lineEnds = new int[FIRST_LINES];
    /** Offset where each complete line starts. */
    private int[] lineStarts = new int[FIRST_LINES];
    private int lines;
    /** Offset where the next (incomplete) line starts. */
    private int next;
    /** Bytes of the field lines so far (without their CRLF), held to {@link #maxFields}. */
    private int fieldBytes;
    /** The buffer indexes {@code [windowStart, windowEnd)} copied in {@code window}, during a scan. */
    private byte[] window;
    private int windowStart;
    private int windowEnd;

    /**
     * @param startLine    whether the section opens with a request line (a head) or not (trailers)
     * @param maxStartLine the longest request line, CRLF excluded (beyond it: 414)
     * @param maxFields    the most bytes of field lines, CRLFs excluded (beyond it: 431)
     */
    HeadScanner(boolean startLine, int maxStartLine, int maxFields) {
        this(startLine, maxStartLine, maxFields, false);
    }

    private HeadScanner(boolean startLine, int maxStartLine, int maxFields, boolean response) {
        this.startLine = startLine;
        this.maxStartLine = maxStartLine;
        this.maxFields = maxFields;
        this.response = response;
    }

    /**
     * A scanner of a server's response heads ({@code startLine}) or of its chunked bodies' trailers.
     *
     * @param maxStatusLine the longest status line, line end excluded
     * @param maxFields     the most bytes of the head's lines (status line included), line ends excluded
     */
    static HeadScanner forResponses(boolean startLine, int maxStatusLine, int maxFields) {
        return new HeadScanner(startLine, maxStatusLine, maxFields, true);
    }

    /** Whether no byte of a section has been looked at yet. */
    boolean fresh() {
        return next == 0;
    }

    /**
     * Scans the bytes that arrived since the last call.
     *
     * @return the length of the whole section including its blank line, or -1 while it is incomplete
     * @throws HeadRefusedException when the section must be refused
     */
    int scan(ByteBuf in) {
        int base = in.readerIndex();
        int end = in.writerIndex();
        windowStart = 0;
        windowEnd = 0;
        window = WINDOW.get();
        while (true) {
            int from = base + next;
            boolean requestLine = startLine && lines == 0;
            // No line may be longer than what is left of its limit: search no further.
            int allowed = requestLine ? maxStartLine + 2 : maxFields - fieldBytes + 2;
            int searchEnd = (int) Math.min(end, (long) from + allowed);
            int lf = indexOfLf(in, from, searchEnd);
            if (lf < 0) {
                checkIncomplete(in, from, searchEnd - from);
                return -1;
            }
            int lineEnd = lf;
            if (lf > from && byteAt(in, lf - 1) == CR) {
                lineEnd = lf - 1;
            } else if (!response) {
                throw new HeadRefusedException(HttpRefusal.MALFORMED_REQUEST, "a line ends with a bare LF");
            }
            int length = lineEnd - from;
            if (requestLine) {
                if (length > maxStartLine) {
                    throw uriTooLong();
                }
                if (response) {
                    fieldBytes = length; // a response's limit holds its whole head
                }
            } else if (length == 0) {
                next = lf + 1 - base;
                return next;
            } else {
                checkField(byteAt(in, from), length);
                fieldBytes += length;
            }
            if (lines == lineEnds.length) {
                lineEnds = Arrays.copyOf(lineEnds, lines * 2);
                lineStarts = Arrays.copyOf(lineStarts, lines * 2);
            }
            lineStarts[lines] = from - base;
            lineEnds[lines++] = lineEnd - base;
            next = lf + 1 - base;
        }
    }

    /**
     * The first LF in {@code [from, to)}, or -1. The bytes are searched in a copy ({@link #WINDOW}):
     * reading a direct buffer in place costs a bounds and liveness check per byte.
     */
    private int indexOfLf(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to) {
            if (i < windowStart || i >= windowEnd) {
                windowStart = i;
                windowEnd = Math.min(to, i + window.length);
                // readBytes, not getBytes: a pooled direct buffer reads through a view it keeps for
                // readBytes, but makes a new one for each getBytes.
                int reader = in.readerIndex();
                in.readerIndex(windowStart).readBytes(window, 0, windowEnd - windowStart);
                in.readerIndex(reader);
            }
            byte[] bytes = window;
            int offset = windowStart;
            int stop = windowEnd - offset;
            for (int j = i - offset; j < stop; j++) {
                if (bytes[j] == LF) {
                    return offset + j;
                }
            }
            i = windowEnd;
        }
        return -1;
    }

    private byte byteAt(ByteBuf in, int index) {
        return index >= windowStart && index < windowEnd ? window[index - windowStart] : in.getByte(index);
    }

    private void checkIncomplete(ByteBuf in, int from, int partial) {
        if (startLine && lines == 0) {
            // One byte more than the limit may be the CR of a line of just the limit.
            if (partial > maxStartLine + 1) {
                throw uriTooLong();
            }
        } else if (partial > 0) {
            checkField(byteAt(in, from), partial - 1);
        }
    }

    private void checkField(byte first, int length) {
        if ((first == ' ' || first == '\t') && !response) {
            throw new HeadRefusedException(HttpRefusal.OBSOLETE_FOLDING, "a header line is folded (obs-fold)");
        }
        if (fieldBytes + length > maxFields) {
            throw new HeadRefusedException(response ? HttpRefusal.BAD_RESPONSE : HttpRefusal.HEADERS_TOO_LARGE,
                    "the header lines exceed " + maxFields + " bytes");
        }
    }

    private HeadRefusedException uriTooLong() {
        return response
                ? new HeadRefusedException(HttpRefusal.BAD_RESPONSE, "the status line exceeds " + maxStartLine + " bytes")
                : new HeadRefusedException(HttpRefusal.URI_TOO_LONG, "the request line exceeds " + maxStartLine + " bytes");
    }

    /**
     * Takes the section that {@link #scan} has just (in the same call of the decoder, before any other
     * scan on this thread) found complete out of {@code in}: its bytes, copied from
     * the scan's own copy when they are all there (each copy out of a direct buffer costs a view
     * object and a liveness check).
     */
    byte[] take(ByteBuf in, int length) {
        int base = in.readerIndex();
        byte[] section = new byte[length];
        if (base >= windowStart && base + length <= windowEnd) {
            System.arraycopy(window, base - windowStart, section, 0, length);
            in.skipBytes(length);
        } else {
            in.readBytes(section);
        }
        return section;
    }

    /**
     * The next head in {@code in}, taken out of it, or null while it is incomplete: blank lines in
     * front of a head are skipped (RFC 9112 §2.2; HAProxy and Netty skip them before a status line
     * too), then {@link #scan} and {@link #take}. The caller parses it, then calls {@link #reset}.
     *
     * @throws HeadRefusedException when the head must be refused
     */
    byte[] nextHead(ByteBuf in) {
        if (fresh()) {
            while (in.isReadable() && (in.getByte(in.readerIndex()) == CR || in.getByte(in.readerIndex()) == LF)) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                return null;
            }
        }
        int length = scan(in);
        return length < 0 ? null : take(in, length);
    }

    /** Complete lines recorded, the blank line excluded. */
    int lines() {
        return lines;
    }

    /** Where line {@code i} starts, relative to the section's first byte. */
    int lineStart(int i) {
        return lineStarts[i];
    }

    /** Where line {@code i} ends (its CR, or a bare LF), relative to the section's first byte. */
    int lineEnd(int i) {
        return lineEnds[i];
    }

    /** Forgets the section, for the next one. */
    void reset() {
        lines = 0;
        next = 0;
        fieldBytes = 0;
    }
}
