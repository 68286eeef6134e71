package dev.sluice.balancer.http;

import dev.sluice.balancer.runtime.CompressionAlgorithm;
import dev.sluice.balancer.runtime.CompressionPlan;
import dev.sluice.balancer.stats.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The response compression of one client connection ({@code compression algo|type|offload}),
 * called by {@link HttpExchangeHandler} at four points of each exchange through null-safe static
 * hooks, so a connection whose proxies do not compress pays one null check per point. The body is
 * compressed part by part as it arrives, under the exchange's own backpressure: each part is
 * deflated and flushed (zlib's sync flush) so the client can decode what it got, and the last one
 * ends the stream. A deflater is taken from the event loop's {@link DeflaterPool} for the response
 * and given back when the exchange ends.
 */
final class ResponseCompressor {
    /** gzip's fixed header (RFC 1952): magic, deflate, no flags, no time, no extra flags, OS unix. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    private static final int GZIP_TRAILER_BYTES = 8;
    /** Room for zlib's block and flush markers beyond the input size. */
    private static final int SLACK_BYTES = 64;
    /** Bound on deflate calls for one body part; each call either fills the output or finishes. */
    private static final int MAX_DEFLATE_CALLS = 10_000;

    private final CRC32 crc = new CRC32();
    private CompressionAlgorithm algorithm;
    private List<String> types;
    private int level;
    private boolean requestHttp11;
    private Counters frontCounters;
    private Counters backCounters;
    private boolean active;
    private Deflater deflater;
    /** Which pool {@link #deflater} came from: raw (gzip, raw-deflate) or zlib-wrapped (deflate). */
    private boolean deflaterRaw;
    private boolean headerWritten;
    private long inputBytes;

    // ---- hooks (null-safe) ---------------------------------------------------------------------

    /**
     * A request was routed: the algorithm its {@code Accept-Encoding} selects among the backend's
     * algorithms (else the frontend's), and with {@code offload} the header is removed so the server
     * sends it uncompressed. Returns {@code current}, or a new compressor when the proxies compress
     * and the connection had none; null when neither does.
     */
    static ResponseCompressor request(ResponseCompressor current, CompressionPlan front, CompressionPlan back,
                                      HttpRequest request, Counters frontCounters, Counters backCounters) {
        List<CompressionAlgorithm> algorithms = back.algorithms().isEmpty() ? front.algorithms() : back.algorithms();
        if (algorithms.isEmpty()) {
            if (current != null) {
                current.algorithm = null;
            }
            return current;
        }
        ResponseCompressor compressor = current != null ? current : new ResponseCompressor();
        compressor.algorithm = Compression.negotiate(algorithms, request.headers());
        if (compressor.algorithm != null && (front.offload() || back.offload())) {
            request.headers().remove(HttpHeaderNames.ACCEPT_ENCODING);
        }
        compressor.types = back.types().isEmpty() ? front.types() : back.types();
        compressor.level = back.algorithms().isEmpty() ? front.level() : back.level();
        compressor.requestHttp11 = request.protocolVersion().majorVersion() == 1
                && request.protocolVersion().minorVersion() == 1;
        compressor.frontCounters = frontCounters;
        compressor.backCounters = backCounters;
        return compressor;
    }

    /**
     * The same for a request a local service answers (the stats page, the exporter: HAProxy's
     * applets, whose answers it compresses too); {@code route} is null when no backend was chosen.
     */
    static ResponseCompressor requestLocal(ResponseCompressor current, HttpFrontend front, Route route,
                                           HttpRequest request) {
        CompressionPlan back = route == null ? CompressionPlan.NONE : route.backend().plan().tuning().compression();
        return request(current, front.plan().tuning().compression(), back, request, front.counters(),
                route == null ? null : route.backend().counters());
    }

    /**
     * Writes a local service's whole answer, compressed when it qualifies: then as its head and one
     * compressed last part (the answer's buffer moves to that part).
     */
    static void writeWhole(ResponseCompressor compressor, ChannelHandlerContext ctx, FullHttpResponse response,
                           boolean head) {
        decide(compressor, response, head);
        if (compressor == null || !compressor.active) {
            ctx.write(response, ctx.voidPromise());
            return;
        }
        compressor.start(response);
        ctx.write(new DefaultHttpResponse(response.protocolVersion(), response.status(), response.headers()),
                ctx.voidPromise());
        ctx.write(compressor.compress(new DefaultLastHttpContent(response.content()), ctx.alloc()), ctx.voidPromise());
    }

    /** The server's final response head arrived: whether this response is compressed (before any rule). */
    static void decide(ResponseCompressor compressor, HttpResponse response, boolean head) {
        if (compressor != null) {
            compressor.active = compressor.algorithm != null && compressor.requestHttp11
                    && Compression.applies(response, head, compressor.types);
        }
    }

    /** The response head is about to go out: rewritten for compression when it was decided. */
    static void rewriteHead(ResponseCompressor compressor, HttpResponse response) {
        if (compressor != null && compressor.active) {
            compressor.start(response);
        }
    }

    /** A body part of the response, compressed when the response is (the part is then released). */
    static HttpContent body(ResponseCompressor compressor, HttpContent part, ByteBufAllocator alloc) {
        if (compressor == null || !compressor.active) {
            return part;
        }
        return compressor.compress(part, alloc);
    }

    /** The exchange ended (or the connection closed): the deflater goes back to the pool. */
    static void end(ResponseCompressor compressor) {
        if (compressor != null) {
            compressor.active = false;
            compressor.algorithm = null;
            compressor.release();
        }
    }

    // ---- work ----------------------------------------------------------------------------------

    private void start(HttpResponse response) {
        Compression.rewriteHead(response.headers(), algorithm);
        inputBytes = 0;
        if (algorithm != CompressionAlgorithm.IDENTITY) {
            deflaterRaw = algorithm != CompressionAlgorithm.DEFLATE;
            deflater = DeflaterPool.take(level, deflaterRaw);
            crc.reset();
            headerWritten = algorithm != CompressionAlgorithm.GZIP;
        }
    }

    private HttpContent compress(HttpContent part, ByteBufAllocator alloc) {
        boolean last = part instanceof LastHttpContent;
        ByteBuf in = part.content();
        int length = in.readableBytes();
        if (algorithm == CompressionAlgorithm.IDENTITY) {
            count(length, 0, last);
            return part;
        }
        if (length == 0 && !last) {
            return part;
        }
        ByteBuf out = alloc.buffer(length + SLACK_BYTES + GZIP_HEADER.length + GZIP_TRAILER_BYTES);
        try {
            if (!headerWritten) {
                out.writeBytes(GZIP_HEADER);
                headerWritten = true;
            }
            if (length > 0) {
                feed(in, out);
            }
            drain(out, last);
            if (last && algorithm == CompressionAlgorithm.GZIP) {
                out.writeIntLE((int) crc.getValue());
                out.writeIntLE((int) inputBytes);
            }
        } catch (RuntimeException e) {
            out.release();
            part.release();
            throw e;
        }
        count(length, out.readableBytes(), last);
        // The trailers move as they are (replace() would copy them).
        HttpContent compressed = last ? new DefaultLastHttpContent(out, ((LastHttpContent) part).trailingHeaders())
                : new DefaultHttpContent(out);
        part.release();
        return compressed;
    }

    /** Gives {@code in} to the deflater and takes what it produces, until it wants more input. */
    private void feed(ByteBuf in, ByteBuf out) {
        // One component (the usual pooled buffer): its internal view, no new ByteBuffer.
        ByteBuffer[] buffers = in.nioBufferCount() == 1 ? null : in.nioBuffers();
        int count = buffers == null ? 1 : buffers.length;
        for (int i = 0; i < count; i++) {
            ByteBuffer buffer = buffers == null ? in.internalNioBuffer(in.readerIndex(), in.readableBytes()) : buffers[i];
            if (algorithm == CompressionAlgorithm.GZIP) {
                int position = buffer.position();
                crc.update(buffer);
                buffer.position(position);
            }
            inputBytes += buffer.remaining();
            deflater.setInput(buffer);
            for (int calls = 0; !deflater.needsInput(); calls++) {
                bounded(calls);
                deflateInto(out, Deflater.NO_FLUSH);
            }
        }
    }

    /** Flushes ({@code SYNC_FLUSH}) or, for the last part, ends the stream into {@code out}. */
    private void drain(ByteBuf out, boolean last) {
        if (last) {
            deflater.finish();
        }
        for (int calls = 0; ; calls++) {
            bounded(calls);
            int room = deflateInto(out, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            boolean done = last ? deflater.finished() : room > 0;
            if (done) {
                return;
            }
        }
    }

    /** One deflate call into the writable part of {@code out} (grown when full); the room left after it. */
    private int deflateInto(ByteBuf out, int mode) {
        if (out.writableBytes() < SLACK_BYTES) {
            out.ensureWritable(Math.max(SLACK_BYTES, out.capacity()));
        }
        int room = out.writableBytes();
        ByteBuffer target = out.internalNioBuffer(out.writerIndex(), room);
        int written = deflater.deflate(target, mode);
        out.writerIndex(out.writerIndex() + written);
        return room - written;
    }

    private static void bounded(int calls) {
        if (calls >= MAX_DEFLATE_CALLS) {
            throw new IllegalStateException("deflater made no progress after " + MAX_DEFLATE_CALLS + " calls");
        }
    }

    private void count(int in, int out, boolean last) {
        countInto(frontCounters, in, out, last);
        if (backCounters != null) { // null: a local service's answer without a backend
            countInto(backCounters, in, out, last);
        }
        if (last) {
            release();
            active = false;
        }
    }

    private void countInto(Counters counters, int in, int out, boolean last) {
        if (algorithm == CompressionAlgorithm.IDENTITY) {
            counters.compression().bypassed(in);
        } else {
            counters.compression().compressed(in, out);
        }
        if (last) {
            counters.compression().response();
        }
    }

    private void release() {
        if (deflater != null) {
            DeflaterPool.give(deflater, deflaterRaw);
            deflater = null;
        }
    }
}
