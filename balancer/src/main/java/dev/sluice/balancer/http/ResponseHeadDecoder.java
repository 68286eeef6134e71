package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1 response decoder of a server connection, the response side of {@link RequestHeadDecoder}:
 * it withholds each head until its blank line has arrived, reads it in one pass
 * ({@link HeadScanner#forResponses} finds the lines, {@link ResponseHeadParser} reads them from one
 * copy of the head) and passes the body on as slices of the bytes read ({@link BodyReader}). It
 * emits what Netty's {@code HttpResponseDecoder} emits: an {@link HttpResponse}, its
 * {@code HttpContent}s, a {@link LastHttpContent}.
 *
 * <p>How a body is framed depends on the request (RFC 9112 §6.3), which {@link ServerCodec} tells it
 * ({@link #expect}): a response to HEAD, a 1xx, 204 and 304 have none; a 1xx (100 Continue,
 * 103 Early Hints) is followed by the final response to the same request; after a 101 or a 2xx
 * to CONNECT the connection is a tunnel: nothing more is decoded and the exchange takes the
 * decoder out (the bytes it holds flow on). A response with neither Content-Length nor
 * Transfer-Encoding ends when the server closes (an HTTP/1.0 server's, typically).
 *
 * <p>A refused head becomes an invalid response whose decoder result is a {@link HeadRefusedException},
 * a broken or cut-short body an invalid last content (a 502, or the client connection cut if the
 * response had started), and every byte after either is dropped. A head cut short after its status
 * line is an invalid response; before it, nothing (the exchange sees the server close unanswered).
 */
public final class ResponseHeadDecoder extends ByteToMessageDecoder {
    /** Requests waiting for their response: one at a time in practice, as we never pipeline. */
    private static final int EXPECTED_REQUESTS = 2;

    private enum State { HEAD, BODY, TUNNEL, REFUSED }

    private final HeadScanner head;
    private final ResponseHeadParser parser = new ResponseHeadParser();
    private final BodyReader body;
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(EXPECTED_REQUESTS);
    private State state = State.HEAD;

    /** With a head as large as {@code bufsize}. */
    public ResponseHeadDecoder(int bufsize) {
        this(bufsize, bufsize);
    }

    /**
     * @param bufsize  {@code tune.bufsize}: the longest chunk-size line and trailer section
     * @param headRoom the most bytes of a head, status line and header lines together without their
     *                 line ends (beyond it: a 502); HAProxy's is {@code tune.bufsize - tune.maxrewrite}
     *                 less a few bytes per header of its internal format
     */
    public ResponseHeadDecoder(int bufsize, int headRoom) {
        this.head = HeadScanner.forResponses(true, headRoom, headRoom);
        this.body = new BodyReader(bufsize, HeadScanner.forResponses(false, 0, bufsize), parser.fields(),
                HttpRefusal.BAD_RESPONSE, true);
    }

    /** A request with this method went to the server: its final response is read accordingly. */
    void expect(HttpMethod method) {
        methods.add(method);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            // One part at a time, as Netty's decoders do: it goes up before the next is decoded.
            while (out.isEmpty() && step(in, out)) {
                // a step that emits nothing consumed bytes: go on
            }
        } catch (HeadRefusedException refused) {
            refuse(in, out, refused);
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HEAD -> {
                if (head.lines() > 0) {
                    out.add(invalidResponse(new HeadRefusedException(HttpRefusal.BAD_RESPONSE, "the head was cut short")));
                }
                head.reset();
            }
            case BODY -> body.inputEnded(out);
            case TUNNEL, REFUSED -> {
                // nothing more: the tunnel's bytes are the relay's, a refusal was told already
            }
        }
        state = State.REFUSED;
    }

    private boolean step(ByteBuf in, List<Object> out) {
        return switch (state) {
            case HEAD -> head(in, out);
            case BODY -> body(in, out);
            // The exchange takes the decoder out (TunnelSwitch) or closes: the bytes wait for that.
            case TUNNEL -> false;
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
        HttpResponse response;
        try {
            response = parser.parse(bytes, head);
        } finally {
            head.reset();
        }
        out.add(response);
        int status = response.status().code();
        if (status < 200) {
            // An interim response: the final one to the same request follows; a 101 ends HTTP here.
            if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                state = State.TUNNEL;
            } else {
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            return true;
        }
        HttpMethod method = methods.poll();
        if (HttpMethod.CONNECT.equals(method) && status < 300) {
            state = State.TUNNEL;
        } else if (HttpMethod.HEAD.equals(method) || status == 204 || status == 304) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (parser.chunked()) {
            body.expectChunked();
            state = State.BODY;
        } else if (parser.contentLength() > 0) {
            body.expectLength(parser.contentLength());
            state = State.BODY;
        } else if (parser.contentLength() == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            body.expectUntilClose();
            state = State.BODY;
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
            out.add(invalidResponse(cause));
        } else {
            LastHttpContent broken = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            broken.setDecoderResult(DecoderResult.failure(cause));
            out.add(broken);
        }
    }

    private static HttpResponse invalidResponse(Exception cause) {
        HttpResponse invalid = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY,
                Unpooled.EMPTY_BUFFER);
        invalid.setDecoderResult(DecoderResult.failure(cause));
        return invalid;
    }
}
