package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * The HTTP/1 request decoder of a client connection: it withholds each head until its blank line
 * has arrived, reads it in one pass ({@link HeadScanner} finds the lines, {@link RequestHeadParser}
 * reads them from one copy of the head) and passes the body on as slices of the bytes read, never
 * copied: a Content-Length body, or a chunked one with its trailers. It emits what Netty's
 * {@code HttpRequestDecoder} emits: an {@link HttpRequest}, its {@code HttpContent}s, a
 * {@link LastHttpContent}; a refused head becomes an invalid request whose decoder result is a
 * {@link HeadRefusedException} naming the refusal, a broken body an invalid last content, and
 * every byte after either is dropped (the exchange answers and closes). When the input ends, a head
 * or body cut short emits nothing: the exchange sees the client leave mid-request (HAProxy's
 * {@code CR} in the log, no answer), and a body never ends cleanly towards the server.
 */
public final class RequestHeadDecoder extends ByteToMessageDecoder {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** The largest chunk we take, as the Netty decoder we replace (a chunk size is an int there). */
    static final long MAX_CHUNK_SIZE = Integer.MAX_VALUE;

    private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, REFUSED }

    private final int bufsize;
    private final HeadScanner head;
    private final HeadScanner trailers;
    private final RequestHeadParser parser = new RequestHeadParser();
    private State state = State.HEAD;
    /** Body bytes still to come: of the Content-Length body, or of the current chunk. */
    private long remaining;

    /**
     * @param bufsize {@code tune.bufsize}: the longest request line (beyond it → 414), the largest
     *                header block (beyond it → 431), and the longest chunk-size line and trailer
     *                section of a chunked body
     */
    public RequestHeadDecoder(int bufsize) {
        this.bufsize = bufsize;
        this.head = new HeadScanner(true, bufsize, bufsize);
        this.trailers = new HeadScanner(false, 0, bufsize);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            // Stops at the first part to emit, as Netty's decoders do: the parts go up before
            // the next ones are decoded (the caller calls again while bytes remain).
            while (out.isEmpty() && step(in, out)) {
                // a step that emits nothing consumed bytes: go on
            }
        } catch (HeadRefusedException refused) {
            refuse(in, out, refused);
        }
    }

    /** One step of the state machine; false when it needs more bytes. */
    private boolean step(ByteBuf in, List<Object> out) {
        return switch (state) {
            case HEAD -> head(in, out);
            case FIXED -> fixed(in, out);
            case CHUNK_SIZE -> chunkSize(in);
            case CHUNK_DATA -> chunkData(in, out);
            case CHUNK_END -> chunkEnd(in);
            case TRAILERS -> trailers(in, out);
            case REFUSED -> {
                in.skipBytes(in.readableBytes());
                yield false;
            }
        };
    }

    private boolean head(ByteBuf in, List<Object> out) {
        if (head.fresh()) {
            // RFC 9112 §2.2: empty lines before a request line are ignored.
            while (in.isReadable() && (in.getByte(in.readerIndex()) == CR || in.getByte(in.readerIndex()) == LF)) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                return false;
            }
        }
        int length = head.scan(in);
        if (length < 0) {
            return false;
        }
        byte[] bytes = head.take(in, length);
        HttpRequest request;
        try {
            request = parser.parse(bytes, head);
        } finally {
            head.reset();
        }
        out.add(request);
        if (parser.chunked()) {
            state = State.CHUNK_SIZE;
        } else if (parser.contentLength() > 0) {
            remaining = parser.contentLength();
            state = State.FIXED;
        } else {
            // RFC 9112 §6.3: a request with neither header has no body.
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        return true;
    }

    private boolean fixed(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), remaining);
        if (n == 0) {
            return false;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        remaining -= n;
        if (remaining == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.HEAD;
        }
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

    /** A bad or oversized trailer section is a broken body: it is refused as one (see refuse). */
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
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, parser.trailersFactory());
            parser.trailers(bytes, trailers, last.trailingHeaders());
            out.add(last);
        }
        trailers.reset();
        state = State.HEAD;
        return true;
    }

    private static HeadRefusedException badChunk(String why) {
        return new HeadRefusedException(HttpRefusal.MALFORMED_REQUEST, why);
    }

    /** Ends the connection's input: the refusal goes up, and nothing after it is read. */
    private void refuse(ByteBuf in, List<Object> out, HeadRefusedException cause) {
        boolean inHead = state == State.HEAD;
        state = State.REFUSED;
        head.reset();
        trailers.reset();
        in.skipBytes(in.readableBytes());
        if (inHead) {
            out.add(invalidRequest(cause));
        } else {
            LastHttpContent broken = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            broken.setDecoderResult(DecoderResult.failure(cause));
            out.add(broken);
        }
    }

    private static HttpRequest invalidRequest(Exception cause) {
        HttpRequest invalid = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request",
                Unpooled.EMPTY_BUFFER);
        invalid.setDecoderResult(DecoderResult.failure(cause));
        return invalid;
    }
}
