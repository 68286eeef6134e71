package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.CompressionAlgorithm;
import dev.sluice.balancer.runtime.CompressionPlan;
import dev.sluice.balancer.stats.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The streaming compressor driven as the exchange drives it, its output encoded by the real
 * HTTP/1.1 response encoder in an {@link EmbeddedChannel}: the chunked body is decoded and
 * decompressed with java.util.zip and must equal what the server sent, part by part.
 */
class ResponseCompressorTest {

    private final Counters front = new Counters();
    private final Counters back = new Counters();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ProxyResponseEncoder());

    /** Text that compresses like a web page, but not to nothing. */
    private static byte[] page(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"<div>", "</div>", "hello", "world", "class=\"x\"", "sluice", "balancer", "\n", "  "};
        StringBuilder text = new StringBuilder(size + 16);
        while (text.length() < size) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000));
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private ResponseCompressor start(CompressionAlgorithm algorithm, HttpResponse response) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add("Accept-Encoding", algorithm.token());
        CompressionPlan plan = new CompressionPlan(List.of(algorithm), List.of(), false, 6);
        ResponseCompressor compressor = ResponseCompressor.request(null, CompressionPlan.NONE, plan, request, front, back);
        ResponseCompressor.decide(compressor, response, false);
        ResponseCompressor.rewriteHead(compressor, response);
        assertTrue(channel.writeOutbound(response));
        return compressor;
    }

    private static HttpResponse head(long length) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("Content-Type", "text/html");
        if (length >= 0) {
            response.headers().add("Content-Length", length);
        } else {
            response.headers().add("Transfer-Encoding", "chunked");
        }
        return response;
    }

    private void send(ResponseCompressor compressor, HttpContent part) {
        channel.writeOutbound(ResponseCompressor.body(compressor, part, channel.alloc()));
    }

    /** Everything the encoder wrote so far. */
    private byte[] written() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** A chunked HTTP/1.1 response split into its head, decoded body and trailer lines. */
    record Wire(String head, byte[] body, List<String> trailers) {
        static Wire parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            List<String> trailers = new ArrayList<>();
            int at = end + 4;
            for (int chunks = 0; chunks < 100_000; chunks++) {
                int eol = text.indexOf("\r\n", at);
                int size = Integer.parseInt(text.substring(at, eol), 16);
                at = eol + 2;
                if (size == 0) {
                    while (!text.startsWith("\r\n", at)) {
                        int next = text.indexOf("\r\n", at);
                        trailers.add(text.substring(at, next));
                        at = next + 2;
                    }
                    assertEquals(raw.length, at + 2, "bytes after the last chunk");
                    return new Wire(head, body.toByteArray(), trailers);
                }
                body.write(raw, at, size);
                at += size + 2;
            }
            throw new AssertionError("too many chunks");
        }
    }

    private static byte[] decompress(CompressionAlgorithm algorithm, byte[] data) throws IOException {
        if (algorithm == CompressionAlgorithm.GZIP) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                return in.readAllBytes();
            }
        }
        Inflater inflater = new Inflater(algorithm == CompressionAlgorithm.RAW_DEFLATE);
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int rounds = 0; rounds < 100_000 && !inflater.finished(); rounds++) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            assertTrue(inflater.finished(), "the stream is ended");
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IOException(e);
        } finally {
            inflater.end();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionAlgorithm.class, names = {"GZIP", "DEFLATE", "RAW_DEFLATE"})
    void aBodyInUnevenPartsDecompressesToTheOriginal(CompressionAlgorithm algorithm) throws IOException {
        byte[] body = page(200_000, 7);
        ResponseCompressor compressor = start(algorithm, head(body.length));
        int[] sizes = {1, 0, 7, 8192, 3, 65_536, 0, 16_000, 1};
        int at = 0;
        for (int i = 0; at < body.length; i++) {
            int size = Math.min(sizes[i % sizes.length], body.length - at);
            send(compressor, new DefaultHttpContent(channel.alloc().buffer(size).writeBytes(body, at, size)));
            at += size;
        }
        send(compressor, LastHttpContent.EMPTY_LAST_CONTENT);
        ResponseCompressor.end(compressor);
        Wire wire = Wire.parse(written());
        String head = wire.head().toLowerCase();
        assertTrue(head.contains("transfer-encoding: chunked") && !head.contains("content-length"), head);
        assertTrue(head.contains("content-encoding: " + algorithm.token()) && head.contains("vary: accept-encoding"),
                head);
        assertArrayEquals(body, decompress(algorithm, wire.body()));
        assertTrue(wire.body().length < body.length / 2, "compressed to " + wire.body().length);
        assertEquals(body.length, front.compression().in());
        assertEquals(body.length, back.compression().in());
        assertEquals(wire.body().length, front.compression().out());
        assertEquals(1, front.compression().responses());
        assertEquals(0, front.compression().bypassed());
    }

    @Test
    void eachPartCanBeDecodedAsSoonAsItArrives() throws IOException {
        byte[] first = page(5_000, 1);
        ResponseCompressor compressor = start(CompressionAlgorithm.RAW_DEFLATE, head(-1));
        send(compressor, new DefaultHttpContent(Unpooled.wrappedBuffer(first)));
        byte[] soFar = written();
        String text = new String(soFar, StandardCharsets.ISO_8859_1);
        int bodyAt = text.indexOf("\r\n\r\n") + 4;
        int eol = text.indexOf("\r\n", bodyAt);
        int size = Integer.parseInt(text.substring(bodyAt, eol), 16);
        byte[] chunk = java.util.Arrays.copyOfRange(soFar, eol + 2, eol + 2 + size);
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(chunk);
            byte[] out = new byte[first.length + 100];
            int n = inflater.inflate(out);
            assertArrayEquals(first, java.util.Arrays.copyOf(out, n));
        } catch (DataFormatException e) {
            throw new IOException(e);
        } finally {
            inflater.end();
        }
        send(compressor, LastHttpContent.EMPTY_LAST_CONTENT);
        ResponseCompressor.end(compressor);
        written();
    }

    @ParameterizedTest
    @EnumSource(value = CompressionAlgorithm.class, names = {"GZIP", "DEFLATE", "RAW_DEFLATE"})
    void anEmptyChunkedBodyBecomesAnEmptyStream(CompressionAlgorithm algorithm) throws IOException {
        ResponseCompressor compressor = start(algorithm, head(-1));
        send(compressor, LastHttpContent.EMPTY_LAST_CONTENT);
        ResponseCompressor.end(compressor);
        Wire wire = Wire.parse(written());
        assertTrue(wire.body().length > 0);
        assertArrayEquals(new byte[0], decompress(algorithm, wire.body()));
        assertEquals(1, front.compression().responses());
    }

    @Test
    void trailersAndACompositeLastPartPassThrough() throws IOException {
        byte[] body = page(30_000, 3);
        ResponseCompressor compressor = start(CompressionAlgorithm.GZIP, head(-1));
        send(compressor, new DefaultHttpContent(Unpooled.wrappedBuffer(body, 0, 10_000)));
        CompositeByteBuf tail = channel.alloc().compositeBuffer();
        tail.addComponent(true, Unpooled.wrappedBuffer(body, 10_000, 12_000));
        tail.addComponent(true, channel.alloc().directBuffer().writeBytes(body, 22_000, 8_000));
        LastHttpContent last = new DefaultLastHttpContent(tail);
        last.trailingHeaders().add("X-Digest", "abc");
        send(compressor, last);
        ResponseCompressor.end(compressor);
        Wire wire = Wire.parse(written());
        assertEquals(List.of("X-Digest: abc"), wire.trailers());
        assertArrayEquals(body, decompress(CompressionAlgorithm.GZIP, wire.body()));
    }

    @Test
    void identityKeepsTheBodyAndCountsItAsBypassed() {
        byte[] body = page(1_000, 5);
        ResponseCompressor compressor = start(CompressionAlgorithm.IDENTITY, head(body.length));
        HttpContent part = new DefaultLastHttpContent(Unpooled.wrappedBuffer(body));
        assertSame(part, ResponseCompressor.body(compressor, part, channel.alloc()));
        channel.writeOutbound(part);
        ResponseCompressor.end(compressor);
        Wire wire = Wire.parse(written());
        assertFalse(wire.head().toLowerCase().contains("content-encoding"), wire.head());
        assertArrayEquals(body, wire.body());
        assertEquals(body.length, front.compression().bypassed());
        assertEquals(0, front.compression().in());
        assertEquals(1, back.compression().responses());
    }

    @Test
    void aResponseThatDoesNotQualifyIsUntouched() {
        HttpResponse response = head(10);
        response.headers().add("Content-Encoding", "br");
        ResponseCompressor compressor = start(CompressionAlgorithm.GZIP, response);
        HttpContent part = new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[10]));
        assertSame(part, ResponseCompressor.body(compressor, part, channel.alloc()));
        part.release();
        ResponseCompressor.end(compressor);
        assertEquals("10", response.headers().get("Content-Length"));
        written();
        assertEquals(0, front.compression().responses());
    }

    @Test
    void deflatersGoBackToTheLoopsPoolWhenAnExchangeEndsEarly() {
        int idle = DeflaterPool.idle();
        ResponseCompressor compressor = start(CompressionAlgorithm.GZIP, head(-1));
        send(compressor, new DefaultHttpContent(Unpooled.wrappedBuffer(page(100, 2))));
        ResponseCompressor.end(compressor); // the exchange was abandoned mid-body
        assertEquals(Math.max(idle, 1), DeflaterPool.idle());
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        written();
        ResponseCompressor again = start(CompressionAlgorithm.GZIP, head(-1));
        assertEquals(Math.max(idle, 1) - 1, DeflaterPool.idle());
        send(again, LastHttpContent.EMPTY_LAST_CONTENT);
        ResponseCompressor.end(again);
        assertEquals(Math.max(idle, 1), DeflaterPool.idle());
        written();
    }

    @Test
    void noCompressionConfiguredMeansNoCompressor() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add("Accept-Encoding", "gzip");
        assertEquals(null, ResponseCompressor.request(null, CompressionPlan.NONE, CompressionPlan.NONE, request, front,
                back));
        assertEquals("gzip", request.headers().get("Accept-Encoding"));
    }

    @Test
    void offloadRemovesAcceptEncodingOnlyWhenAnAlgorithmIsChosen() {
        CompressionPlan offload = new CompressionPlan(List.of(CompressionAlgorithm.GZIP), List.of(), true, 1);
        HttpRequest gzip = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        gzip.headers().add("Accept-Encoding", "gzip, br");
        ResponseCompressor.request(null, offload, CompressionPlan.NONE, gzip, front, back);
        assertFalse(gzip.headers().contains("Accept-Encoding"));
        HttpRequest brotli = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        brotli.headers().add("Accept-Encoding", "br");
        ResponseCompressor.request(null, offload, CompressionPlan.NONE, brotli, front, back);
        assertEquals("br", brotli.headers().get("Accept-Encoding"));
    }

    @Test
    void aLoopKeepsAtMostMaxIdleDeflaters() {
        List<java.util.zip.Deflater> taken = new ArrayList<>();
        for (int i = 0; i < DeflaterPool.MAX_IDLE + 5; i++) {
            taken.add(DeflaterPool.take(1, true));
        }
        for (java.util.zip.Deflater deflater : taken) {
            DeflaterPool.give(deflater, true);
        }
        assertEquals(DeflaterPool.MAX_IDLE, DeflaterPool.idle(true));
        java.util.zip.Deflater again = DeflaterPool.take(9, true);
        assertTrue(taken.contains(again), "a pooled deflater is reused");
        DeflaterPool.give(again, true);
    }
}
