package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder set to its strictest (CRLF only, RFC 9112 Transfer-Encoding rules,
 * Content-Length with Transfer-Encoding refused, duplicate or non-numeric Content-Length refused,
 * header names and values validated), plus what it lacks: it withholds a request head until the
 * blank line that ends it has arrived, and refuses obsolete line folding, which Netty would
 * silently unfold. A refused head becomes an invalid request whose decoder result carries the
 * cause; the handler answers it and closes.
 *
 * <p>Cost: each head is scanned once more here (a byte search for line feeds), on top of Netty's
 * own parse. {@link RequestHeadDecoder} does both in one pass and is what client connections use
 * now; this one stays as the baseline it is measured against ({@code RequestHeadBench}) and as the
 * reference its tests were written from.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final int maxHead;
    private boolean atHead = true;
    private boolean refused;
    private int scanned;

    /**
     * @param bufsize {@code tune.bufsize}: the longest request line (beyond it → 414) and the
     *                largest header block (beyond it → 431); HAProxy, too, takes any URI that
     *                fits its buffer
     */
    public StrictRequestDecoder(int bufsize) {
        super(config(bufsize));
        this.maxHead = 2 * bufsize;
    }

    static HttpDecoderConfig config(int bufsize) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(bufsize)
                .setMaxHeaderSize(bufsize)
                .setMaxChunkSize(bufsize)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false)
                .setValidateHeaders(true);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (atHead) {
            int verdict = scanHead(in);
            if (verdict == INCOMPLETE) {
                if (in.readableBytes() <= maxHead) {
                    return;
                }
                // Too long: Netty's own limits produce the 414/431 cause.
            } else if (verdict == FOLDED) {
                refused = true;
                in.skipBytes(in.readableBytes());
                HttpMessage invalid = createInvalidMessage();
                invalid.setDecoderResult(DecoderResult.failure(new ObsoleteFoldingException()));
                out.add(invalid);
                return;
            }
            atHead = false;
            scanned = 0;
        }
        int before = out.size();
        super.decode(ctx, in, out);
        if (out.size() > before && out.getLast() instanceof LastHttpContent) {
            atHead = true;
        }
    }

    private static final int INCOMPLETE = 0;
    private static final int COMPLETE = 1;
    private static final int FOLDED = 2;

    /** Looks for the blank line ending the head and for a line that starts with SP or HTAB. */
    private int scanHead(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        // Netty skips empty lines before a request line; so do we.
        int i = start;
        while (i < end && (in.getByte(i) == CR || in.getByte(i) == LF)) {
            i++;
        }
        i = Math.max(i, start + scanned);
        while (true) {
            int lf = in.indexOf(i, end, LF);
            if (lf < 0) {
                scanned = end - start;
                return INCOMPLETE;
            }
            if (lf + 1 >= end) {
                scanned = lf - start;
                return INCOMPLETE;
            }
            byte next = in.getByte(lf + 1);
            if (next == ' ' || next == '\t') {
                return FOLDED;
            }
            if (next == LF) {
                return COMPLETE;
            }
            if (next == CR) {
                if (lf + 2 >= end) {
                    scanned = lf - start;
                    return INCOMPLETE;
                }
                if (in.getByte(lf + 2) == LF) {
                    return COMPLETE;
                }
            }
            i = lf + 1;
        }
    }
}
