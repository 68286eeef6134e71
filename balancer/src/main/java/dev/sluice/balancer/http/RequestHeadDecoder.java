package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
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

    private enum State { HEAD, BODY, REFUSED }

    private final HeadScanner head;
    private final RequestHeadParser parser = new RequestHeadParser();
    private final BodyReader body;
    private State state = State.HEAD;

    /**
     * @param bufsize {@code tune.bufsize}: the longest request line (beyond it → 414), the largest
     *                header block (beyond it → 431), and the longest chunk-size line and trailer
     *                section of a chunked body
     */
    public RequestHeadDecoder(int bufsize) {
        this.head = new HeadScanner(true, bufsize, bufsize);
        this.body = new BodyReader(bufsize, new HeadScanner(false, 0, bufsize), parser.fields(),
                HttpRefusal.MALFORMED_REQUEST);
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
            case BODY -> body(in, out);
            case REFUSED -> {
                in.skipBytes(in.readableBytes());
                yield false;
            }
        };
    }

    private boolean head(ByteBuf in, List<Object> out) {
        byte[] bytes = head.nextHead(in);
        if (bytes == null) {
            return false;
        }
        HttpRequest request;
        try {
            request = parser.parse(bytes, head);
        } finally {
            head.reset();
        }
        out.add(request);
        if (parser.chunked()) {
            body.expectChunked();
            state = State.BODY;
        } else if (parser.contentLength() > 0) {
            body.expectLength(parser.contentLength());
            state = State.BODY;
        } else {
            // RFC 9112 §6.3: a request with neither header has no body.
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        return true;
    }

    private boolean body(ByteBuf in, List<Object> out) {
        boolean progressed = body.step(in, out);
        if (!body.reading()) {
            state = State.HEAD;
        }
        return progressed;
    }

    /** Ends the connection's input: the refusal goes up, and nothing after it is read. */
    private void refuse(ByteBuf in, List<Object> out, HeadRefusedException cause) {
        boolean inHead = state == State.HEAD;
        state = State.REFUSED;
        head.reset();
        body.reset();
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
