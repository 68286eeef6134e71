package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per malformation: each must come out as a refused head, never as a request to forward. */
class StrictRequestDecoderTest {
    private static final int BUFSIZE = 16_384;

    private static List<Object> decode(String... pieces) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder(BUFSIZE));
        try {
            for (String piece : pieces) {
                channel.writeInbound(Unpooled.copiedBuffer(piece, StandardCharsets.ISO_8859_1));
            }
            List<Object> out = new ArrayList<>();
            Object msg;
            while ((msg = channel.readInbound()) != null) {
                out.add(msg);
            }
            return out;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static HttpRefusal refusalOf(String raw) {
        List<Object> out = decode(raw);
        try {
            HttpRequest request = assertInstanceOf(HttpRequest.class, out.getFirst());
            assertTrue(request.decoderResult().isFailure(), "accepted: " + raw);
            for (Object o : out.subList(1, out.size())) {
                // Nothing of a refused request may look like forwardable content.
                assertTrue(!(o instanceof HttpContent c) || c.decoderResult().isFailure() || c.content().readableBytes() == 0);
            }
            return HttpRefusal.forDecoderFailure(request.decoderResult().cause());
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void contentLengthWithTransferEncodingIsRefused() {
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void transferEncodingBeforeContentLengthIsRefused() {
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void conflictingContentLengthsAreRefused() {
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"));
    }

    @Test
    void repeatedEqualContentLengthsAreRefused() {
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc"));
    }

    @Test
    void signedContentLengthIsRefused() {
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc"));
    }

    @Test
    void nonNumericContentLengthIsRefused() {
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3x\r\n\r\nabc"));
    }

    @Test
    void unknownFinalTransferCodingIsRefused() {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void chunkedAppliedTwiceIsRefused() {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void spaceInHeaderNameIsRefused() {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf("GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n"));
    }

    @Test
    void spaceBeforeColonIsRefused() {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n"));
    }

    @Test
    void controlCharacterInHeaderNameIsRefused() {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf("GET / HTTP/1.1\r\nHost: a\r\nX-\u0001A: b\r\n\r\n"));
    }

    @Test
    void nulInHeaderValueIsRefused() {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n"));
    }

    @Test
    void bareLineFeedIsRefused() {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf("GET / HTTP/1.1\nHost: a\n\n"));
    }

    @Test
    void obsoleteFoldingWithSpaceIsRefused() {
        assertEquals(HttpRefusal.OBSOLETE_FOLDING, refusalOf("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  folded\r\n\r\n"));
    }

    @Test
    void obsoleteFoldingWithTabIsRefused() {
        assertEquals(HttpRefusal.OBSOLETE_FOLDING, refusalOf("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tfolded\r\n\r\n"));
    }

    @Test
    void foldedTransferEncodingIsRefused() {
        assertEquals(HttpRefusal.OBSOLETE_FOLDING, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void foldingSplitAcrossReadsIsRefused() {
        List<Object> out = decode("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n", " folded\r\n\r\n");
        try {
            HttpRequest request = assertInstanceOf(HttpRequest.class, out.getFirst());
            assertInstanceOf(ObsoleteFoldingException.class, request.decoderResult().cause());
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void overlongRequestLineIsRefusedWith414() {
        assertEquals(HttpRefusal.URI_TOO_LONG, refusalOf("GET /" + "a".repeat(17_000) + " HTTP/1.1\r\nHost: a\r\n\r\n"));
    }

    @Test
    void headersOverBufsizeAreRefusedWith431() {
        assertEquals(HttpRefusal.HEADERS_TOO_LARGE, refusalOf("GET / HTTP/1.1\r\nHost: a\r\nX-A: " + "b".repeat(20_000) + "\r\n\r\n"));
    }

    @Test
    void headersOverBufsizeWithoutEndAreRefused() {
        assertEquals(HttpRefusal.HEADERS_TOO_LARGE, refusalOf("GET / HTTP/1.1\r\nHost: a\r\nX-A: " + "b".repeat(40_000)));
    }

    @Test
    void incompleteHeadIsWithheld() {
        assertTrue(decode("GET / HTTP/1.1\r\nHost: a\r\n").isEmpty());
    }

    @Test
    void headSplitAcrossReadsDecodes() {
        List<Object> out = decode("GET / HT", "TP/1.1\r\nHo", "st: a\r\n", "\r", "\n");
        try {
            HttpRequest request = assertInstanceOf(HttpRequest.class, out.get(0));
            assertTrue(request.decoderResult().isSuccess());
            assertInstanceOf(LastHttpContent.class, out.get(1));
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void pipelinedRequestsWithFoldLikeBytesInBodyDecode() {
        // "\r\n " inside a body is data, not folding: only heads are scanned.
        List<Object> out = decode("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\r\n x"
                + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
        try {
            List<String> uris = out.stream().filter(o -> o instanceof HttpRequest)
                    .map(o -> ((HttpRequest) o).decoderResult().isSuccess() + " " + ((HttpRequest) o).uri()).toList();
            assertEquals(List.of("true /a", "true /b"), uris);
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void chunkedBodyWithTrailersDecodes() {
        List<Object> out = decode("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: v\r\n\r\n");
        try {
            assertTrue(((HttpRequest) out.get(0)).decoderResult().isSuccess());
            LastHttpContent last = assertInstanceOf(LastHttpContent.class, out.getLast());
            assertEquals("v", last.trailingHeaders().get("X-T"));
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void bytesAfterARefusalAreDropped() {
        List<Object> out = decode("GET / HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n", "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        try {
            assertEquals(1, out.size());
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }
}
