package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Finds where a request head (or a chunked body's trailer section) ends, across as many reads as
 * it takes, without consuming a byte: it records where each line ends and refuses, as soon as the
 * bytes show it, a bare LF line end (RFC 9112 §2.2: we never guess), a folded header line
 * (§5.2 obs-fold) and a head over its limits. Offsets are relative to the reader index, so they
 * survive the decoder's buffer being replaced between reads. Line contents are checked later, by
 * {@link RequestHeadParser}, over one copy of the whole head.
 */
final class HeadScanner {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int FIRST_LINES = 32;

    private final boolean startLine;
    private final int maxStartLine;
    private final int maxFields;
    /** Offset of the CR ending each complete line of the section, blank line excluded. */
    private int[] lineEnds = new int[FIRST_LINES];
    private int lines;
    /** Offset where the next (incomplete) line starts. */
    private int next;
    /** Bytes of the field lines so far (without their CRLF), held to {@link #maxFields}. */
    private int fieldBytes;

    /**
     * @param startLine    whether the section opens with a request line (a head) or not (trailers)
     * @param maxStartLine the longest request line, CRLF excluded (beyond it: 414)
     * @param maxFields    the most bytes of field lines, CRLFs excluded (beyond it: 431)
     */
    HeadScanner(boolean startLine, int maxStartLine, int maxFields) {
        this.startLine = startLine;
        this.maxStartLine = maxStartLine;
        this.maxFields = maxFields;
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
        while (true) {
            int from = base + next;
            int lf = in.indexOf(from, end, LF);
            if (lf < 0) {
                checkIncomplete(in, from, end - from);
                return -1;
            }
            if (lf == from || in.getByte(lf - 1) != CR) {
                throw new HeadRefusedException(HttpRefusal.MALFORMED_REQUEST, "a line ends with a bare LF");
            }
            int length = lf - 1 - from;
            if (startLine && lines == 0) {
                if (length > maxStartLine) {
                    throw uriTooLong();
                }
            } else if (length == 0) {
                next = lf + 1 - base;
                return next;
            } else {
                checkField(in.getByte(from), length);
                fieldBytes += length;
            }
            if (lines == lineEnds.length) {
                lineEnds = Arrays.copyOf(lineEnds, lines * 2);
            }
            lineEnds[lines++] = lf - 1 - base;
            next = lf + 1 - base;
        }
    }

    private void checkIncomplete(ByteBuf in, int from, int partial) {
        if (startLine && lines == 0) {
            // One byte more than the limit may be the CR of a line of just the limit.
            if (partial > maxStartLine + 1) {
                throw uriTooLong();
            }
        } else if (partial > 0) {
            checkField(in.getByte(from), partial - 1);
        }
    }

    private void checkField(byte first, int length) {
        if (first == ' ' || first == '\t') {
            throw new HeadRefusedException(HttpRefusal.OBSOLETE_FOLDING, "a header line is folded (obs-fold)");
        }
        if (fieldBytes + length > maxFields) {
            throw new HeadRefusedException(HttpRefusal.HEADERS_TOO_LARGE, "the header lines exceed " + maxFields + " bytes");
        }
    }

    private HeadRefusedException uriTooLong() {
        return new HeadRefusedException(HttpRefusal.URI_TOO_LONG, "the request line exceeds " + maxStartLine + " bytes");
    }

    /** Complete lines recorded, the blank line excluded. */
    int lines() {
        return lines;
    }

    /** Where line {@code i} starts, relative to the section's first byte. */
    int lineStart(int i) {
        return i == 0 ? 0 : lineEnds[i - 1] + 2;
    }

    /** Where line {@code i} ends (its CR), relative to the section's first byte. */
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
