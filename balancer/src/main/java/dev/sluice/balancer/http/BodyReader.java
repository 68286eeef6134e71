package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * The body of one HTTP/1 message, as the request and response head decoders read it after a head:
 * a Content-Length body, a chunked one with its trailers (RFC 9112 §7.1), or, for a response, one
 * that ends when the server closes (§6.3). Its bytes pass on as slices of what was read, never
 * copied; the message ends with a {@link LastHttpContent}. One reader per connection; not thread-safe.
 */
final class BodyReader {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** The largest chunk we take, as the Netty decoder we replaced (a chunk size is an int there). */
    static final long MAX_CHUNK_SIZE = Integer.MAX_VALUE;

    private enum State { NONE, FIXED, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS }

    private final int bufsize;
    private final HeadScanner trailers;
    private final FieldReader fields;
    /** What a broken chunked body is refused as. */
    private final HttpRefusal refusal;
    /**
     * Whether the last bytes of a Content-Length body go up in the last content itself, as Netty's
     * decoders do (one part less through the pipeline), rather than before an empty one.
     */
    private final boolean lastCarriesBody;
    private State state = State.NONE;
    /** Body bytes still to come: of the Content-Length body, or of the current chunk. */
    private long remaining;

    /**
     * @param bufsize  the longest chunk-size line and trailer section
     * @param trailers the scanner of trailer sections
     * @param fields   what reads trailer fields
     * @param refusal  what a broken chunked body is refused as
     */
    BodyReader(int bufsize, HeadScanner trailers, FieldReader fields, HttpRefusal refusal) {
        this(bufsize, trailers, fields, refusal, false);
    }

    /** @param lastCarriesBody whether a Content-Length body's last bytes go up in its last content */
    BodyReader(int bufsize, HeadScanner trailers, FieldReader fields, HttpRefusal refusal, boolean lastCarriesBody) {
        this.bufsize = bufsize;
        this.trailers = trailers;
        this.fields = fields;
        this.refusal = refusal;
        this.lastCarriesBody = lastCarriesBody;
    }

    /** Whether a body is being read (its last content not yet emitted). */
    boolean reading() {
        return state != State.NONE;
    }

    /** The message's body has {@code length} (> 0) bytes. */
    void expectLength(long length) {
        remaining = length;
        state = State.FIXED;
    }

    void expectChunked() {
        state = State.CHUNK_SIZE;
    }

    /** The body ends when the peer closes: only a response's may (RFC 9112 §6.3 rule 8). */
    void expectUntilClose() {
        state = State.UNTIL_CLOSE;
    }

    /**
     * One step of the body; false when it needs more bytes.
     *
     * @throws HeadRefusedException when a chunked body is broken
     */
    boolean step(ByteBuf in, List<Object> out) {
        return switch (state) {
            case NONE -> throw new IllegalStateException("no body is being read");
            case FIXED -> fixed(in, out);
            case UNTIL_CLOSE -> untilClose(in, out);
            case CHUNK_SIZE -> chunkSize(in);
            case CHUNK_DATA -> chunkData(in, out);
            case CHUNK_END -> chunkEnd(in);
            case TRAILERS -> trailers(in, out);
        };
    }

    /**
     * The input ended: a body that ends with its connection ends cleanly, any other is cut short
     * (an invalid last content, so that it never reaches the peer as complete).
     */
    void inputEnded(List<Object> out) {
        if (state == State.UNTIL_CLOSE) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (state != State.NONE) {
            LastHttpContent cut = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            cut.setDecoderResult(DecoderResult.failure(new PrematureChannelClosureException("the body was cut short")));
            out.add(cut);
        }
        reset();
    }

    /** Forgets the body being read (after a refusal). */
    void reset() {
        state = State.NONE;
        trailers.reset();
    }

    private boolean fixed(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), remaining);
        if (n == 0) {
            return false;
        }
        remaining -= n;
        if (remaining == 0 && lastCarriesBody) {
            out.add(new FinalBytes(in.readRetainedSlice(n)));
            state = State.NONE;
            return true;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        if (remaining == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.NONE;
        }
        return true;
    }

    private static boolean untilClose(ByteBuf in, List<Object> out) {
        int n = in.readableBytes();
        if (n == 0) {
            return false;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        return true;
    }

    /** RFC 9112 §7.1: {@code chunk-size [ chunk-ext ] CRLF}, spaces tolerated before the extension. */
    private boolean chunkSize(ByteBuf in) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, Math.min(in.writerIndex(), start + bufsize + 2), LF);
        if (lf < 0) {
            if (in.readableBytes() > bufsize + 1) {
                throw badChunk("the chunk-size line is too long");
            }
            return false;
        }
        if (lf == start || in.getByte(lf - 1) != CR) {
            throw badChunk("the chunk-size line ends with a bare LF");
        }
        int end = lf - 1;
        long size = 0;
        int i = start;
        for (; i < end; i++) {
            int digit = Character.digit(in.getByte(i), 16);
            if (digit < 0) {
                break;
            }
            size = size * 16 + digit;
            if (size > MAX_CHUNK_SIZE) {
                throw badChunk("the chunk size is too large");
            }
        }
        if (i == start) {
            throw badChunk("the chunk size is not a hexadecimal number");
        }
        while (i < end && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        if (i < end && in.getByte(i) != ';') {
            throw badChunk("the chunk size is followed by something other than an extension");
        }
        for (; i < end; i++) {
            int c = in.getByte(i) & 0xFF;
            if (c < ' ' && c != '\t' || c == 0x7F) {
                throw badChunk("a chunk extension holds a control character");
            }
        }
        in.readerIndex(lf + 1);
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    private boolean chunkData(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), remaining);
        if (n == 0) {
            return false;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        remaining -= n;
        if (remaining == 0) {
            state = State.CHUNK_END;
        }
        return true;
    }

    private boolean chunkEnd(ByteBuf in) {
        if (in.readableBytes() < 2) {
            if (in.isReadable() && in.getByte(in.readerIndex()) != CR) {
                throw badChunk("chunk data is not followed by CRLF");
            }
            return false;
        }
        int at = in.readerIndex();
        if (in.getByte(at) != CR || in.getByte(at + 1) != LF) {
            throw badChunk("chunk data is not followed by CRLF");
        }
        in.skipBytes(2);
        state = State.CHUNK_SIZE;
        return true;
    }

    /** A bad or oversized trailer section is a broken body: it is refused as one. */
    private boolean trailers(ByteBuf in, List<Object> out) {
        int length = trailers.scan(in);
        if (length < 0) {
            return false;
        }
        if (trailers.lines() == 0) {
            in.skipBytes(length);
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            byte[] bytes = trailers.take(in, length);
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, fields.trailersFactory());
            fields.trailers(bytes, trailers, last.trailingHeaders());
            out.add(last);
        }
        trailers.reset();
        state = State.NONE;
        return true;
    }

    private HeadRefusedException badChunk(String why) {
        return new HeadRefusedException(refusal, why);
    }
}
