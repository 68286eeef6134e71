package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RequestHeadDecoder} through an {@link EmbeddedChannel}: what it emits for good requests
 * (whole, split at every byte, pipelined), one test per malformation (each must come out as a
 * refused head or a broken body, never as something to forward), and its limits.
 */
class RequestHeadDecoderTest {
    private static final int BUFSIZE = 16_384;

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static List<Object> decode(int bufsize, boolean close, String... pieces) {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestHeadDecoder(bufsize));
        try {
            for (String piece : pieces) {
                channel.writeInbound(bytes(piece));
            }
            if (close) {
                channel.finish();
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

    private static List<Object> decode(String... pieces) {
        return decode(BUFSIZE, false, pieces);
    }

    /** What a decoder's output says, in one line per part, for comparing runs. */
    private static List<String> describe(List<Object> out) {
        List<String> lines = new ArrayList<>();
        for (Object o : out) {
            StringBuilder line = new StringBuilder();
            if (o instanceof HttpRequest r) {
                line.append(r.decoderResult().isSuccess() ? "ok " : "refused ").append(r.method()).append(' ')
                        .append(r.uri()).append(' ').append(r.protocolVersion());
                for (Map.Entry<String, String> h : r.headers()) {
                    line.append(" [").append(h.getKey()).append('=').append(h.getValue()).append(']');
                }
            }
            if (o instanceof HttpContent c) {
                line.append(c instanceof LastHttpContent ? "last " : "content ").append(c.decoderResult().isSuccess() ? "" : "broken ")
                        .append(c.content().toString(StandardCharsets.ISO_8859_1));
                if (c instanceof LastHttpContent last) {
                    for (Map.Entry<String, String> h : last.trailingHeaders()) {
                        line.append(" [").append(h.getKey()).append('=').append(h.getValue()).append(']');
                    }
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The parts with adjacent content pieces merged (how the body is cut depends on the reads). */
    private static List<String> merged(List<String> lines) {
        List<String> result = new ArrayList<>();
        for (String line : lines) {
            if (!result.isEmpty() && result.getLast().startsWith("content ") && line.startsWith("content ")) {
                result.set(result.size() - 1, result.getLast() + line.substring("content ".length()));
            } else {
                result.add(line);
            }
        }
        return result;
    }

    private static List<String> described(String... pieces) {
        List<Object> out = decode(pieces);
        try {
            return describe(out);
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    private static HttpRefusal refusalOf(int bufsize, String raw) {
        List<Object> out = decode(bufsize, false, raw);
        try {
            HttpRequest request = assertInstanceOf(HttpRequest.class, out.getFirst());
            assertTrue(request.decoderResult().isFailure(), "accepted: " + raw);
            assertEquals(1, out.size(), "nothing may follow a refused head");
            return HttpRefusal.forDecoderFailure(request.decoderResult().cause());
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    private static HttpRefusal refusalOf(String raw) {
        return refusalOf(BUFSIZE, raw);
    }

    /** Asserts the head is accepted and the body then breaks: content before, then a failed last part. */
    private static void assertBrokenBody(String raw) {
        List<Object> out = decode(raw);
        try {
            assertTrue(((HttpRequest) out.getFirst()).decoderResult().isSuccess());
            LastHttpContent last = assertInstanceOf(LastHttpContent.class, out.getLast(), raw);
            assertTrue(last.decoderResult().isFailure(), "body accepted: " + raw);
            for (Object o : out.subList(1, out.size() - 1)) {
                assertFalse(o instanceof LastHttpContent, "the body ended cleanly before it broke: " + raw);
            }
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    // ---- good requests --------------------------------------------------------------------------

    private static final String GET = "GET /a?b=c HTTP/1.1\r\nHost: x\r\nUser-Agent: t/1\r\nAccept:  */* \r\nX-Empty:\r\n\r\n";
    private static final String POST = "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
    private static final String CHUNKED = "POST /c HTTP/1.1\r\nhost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3\r\nabc\r\n4;name=value\r\ndefg\r\n0\r\nX-T: v\r\nContent-Length: 9\r\n\r\n";

    @Test
    void getDecodesToTheHeadAndAnEmptyLastPart() {
        assertEquals(List.of("ok GET /a?b=c HTTP/1.1 [Host=x] [User-Agent=t/1] [Accept=*/*] [X-Empty=]", "last "),
                described(GET));
    }

    @Test
    void lengthBodyDecodes() {
        assertEquals(List.of("ok POST /p HTTP/1.1 [Host=x] [Content-Length=5]", "content hello", "last "), described(POST));
    }

    @Test
    void chunkedBodyWithExtensionAndTrailersDecodes() {
        // Content-Length in a trailer is dropped: a trailer cannot reframe what was read.
        assertEquals(List.of("ok POST /c HTTP/1.1 [host=x] [Transfer-Encoding=chunked]", "content abc", "content defg",
                "last  [X-T=v]"), described(CHUNKED));
    }

    @ParameterizedTest
    @ValueSource(strings = {GET, POST, CHUNKED})
    void everySplitPointDecodesTheSame(String raw) {
        List<String> whole = merged(described(raw));
        for (int cut = 1; cut < raw.length(); cut++) {
            assertEquals(whole, merged(described(raw.substring(0, cut), raw.substring(cut))), "cut at " + cut);
        }
        String[] single = raw.split("");
        assertEquals(whole, merged(described(single)), "one byte per read");
    }

    @Test
    void headLongerThanTheScanWindowDecodesAtEveryCut() {
        StringBuilder raw = new StringBuilder("GET /long HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 90; i++) {
            raw.append("X-Field-").append(i).append(": ").append("v".repeat(40)).append("\r\n");
        }
        String head = raw.append("\r\n").toString();
        assertTrue(head.length() > 2 * 2048, "spans several scan windows");
        List<String> whole = described(head);
        assertEquals(2, whole.size());
        assertTrue(whole.getFirst().startsWith("ok GET /long") && whole.getFirst().contains("[X-Field-89=" + "v".repeat(40) + "]"));
        for (int cut = 1; cut < head.length(); cut++) {
            assertEquals(whole, described(head.substring(0, cut), head.substring(cut)), "cut at " + cut);
        }
    }

    @Test
    void pipelinedStreamCutAtRandomPointsDecodesTheSame() {
        String stream = POST + GET + CHUNKED + "\r\n" + GET + POST;
        List<String> whole = merged(described(stream));
        java.util.Random random = new java.util.Random(42); // fixed seed: the same cuts every run
        for (int trial = 0; trial < 200; trial++) {
            List<String> pieces = new ArrayList<>();
            int at = 0;
            while (at < stream.length()) {
                int next = Math.min(stream.length(), at + 1 + random.nextInt(40));
                pieces.add(stream.substring(at, next));
                at = next;
            }
            assertEquals(whole, merged(described(pieces.toArray(String[]::new))), "cuts " + pieces);
        }
    }

    @Test
    void pipelinedRequestsDecodeInOrder() {
        List<String> parts = described(POST + GET + CHUNKED + "\r\n" + GET);
        assertEquals(List.of("ok POST", "content", "last", "ok GET", "last", "ok POST", "content", "content", "last",
                "ok GET", "last"), parts.stream().map(p -> p.startsWith("ok ") ? p.substring(0, p.indexOf(' ', 3))
                : p.substring(0, p.indexOf(' '))).toList());
    }

    @Test
    void pipelinedRequestsWithFoldLikeBytesInBodyDecode() {
        List<String> parts = described("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\r\n x"
                + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("content \r\n x", parts.get(1));
        assertTrue(parts.get(3).startsWith("ok GET /b "), parts.toString());
    }

    @Test
    void emptyLinesBeforeARequestAreIgnored() {
        assertEquals(described(GET), described("\r\n\r\n" + GET));
    }

    @Test
    void incompleteHeadIsWithheld() {
        assertTrue(decode("GET / HTTP/1.1\r\nHost: a\r\n").isEmpty());
    }

    @Test
    void bodyIsASliceOfTheBytesRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestHeadDecoder(BUFSIZE));
        try {
            ByteBuf read = bytes(POST);
            channel.writeInbound(read);
            ReferenceCountUtil.release(channel.readInbound());
            HttpContent content = channel.readInbound();
            assertSame(read.array(), content.content().array(), "the body was copied");
            content.release();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void commonNamesAreSharedAndKeepTheirCase() {
        List<Object> out = decode("GET / HTTP/1.1\r\nHost: a\r\nuser-agent: b\r\nX-Own: c\r\n\r\n");
        try {
            HttpRequest request = (HttpRequest) out.getFirst();
            List<CharSequence> names = new ArrayList<>();
            request.headers().iteratorCharSequence().forEachRemaining(e -> names.add(e.getKey()));
            assertEquals(List.of("Host", "user-agent", "X-Own"), names.stream().map(CharSequence::toString).toList());
            assertSame(HeaderNameTable.find("Host".getBytes(StandardCharsets.US_ASCII), 0, 4), names.getFirst());
            assertSame(HeaderNameTable.find("user-agent".getBytes(StandardCharsets.US_ASCII), 0, 10), names.get(1));
            assertNull(HeaderNameTable.find("X-Own".getBytes(StandardCharsets.US_ASCII), 0, 5));
            assertEquals("a", request.headers().get(HttpHeaderNames.HOST), "lookups ignore case");
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void whatOthersAddLaterIsStillValidated() {
        // http-request set-header renders values from the request: a line end must never reach the server.
        List<Object> out = decode(GET);
        try {
            HttpRequest request = (HttpRequest) out.getFirst();
            assertThrows(IllegalArgumentException.class, () -> request.headers().add("X-Rule", "a\r\nX-Smuggled: 1"));
            assertThrows(IllegalArgumentException.class, () -> request.headers().set("Bad Name", "v"));
            request.headers().add("X-Rule", "fine");
            assertEquals("fine", request.headers().get("X-Rule"));
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void methodAndVersionAreNettysConstants() {
        List<Object> out = decode("DELETE /x HTTP/1.0\r\n\r\n");
        try {
            HttpRequest request = (HttpRequest) out.getFirst();
            assertSame(HttpMethod.DELETE, request.method());
            assertSame(HttpVersion.HTTP_1_0, request.protocolVersion());
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void otherMethodsAndVersionsAreKept() {
        // HAProxy forwards both; the exchange sends the version as 1.1 (MessageRules).
        assertEquals("ok get / HTTP/2.0 [Host=x]", described("get / HTTP/2.0\r\nHost: x\r\n\r\n").getFirst());
    }

    @Test
    void otherCodingsBeforeChunkedAreLeftToTheExchange() {
        // MessageRules.check answers them 422, as HAProxy does.
        assertTrue(described("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
                .getFirst().startsWith("ok "));
    }

    @Test
    void lengthWithLeadingZerosIsAccepted() {
        assertEquals("content abc", described("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 003\r\n\r\nabc").get(1));
    }

    // ---- refusals of the head ------------------------------------------------------------------

    @Test
    void contentLengthWithTransferEncodingIsRefused() {
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf(
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 3\r\nContent-Length: 4", "Content-Length: 3\r\nContent-Length: 3",
        "Content-Length: 3, 3", "Content-Length: +3", "Content-Length: -1", "Content-Length: 3x", "Content-Length: 3 4",
        "Content-Length:", "content-length: 99999999999999999999"})
    void invalidOrRepeatedContentLengthIsRefused(String field) {
        assertEquals(HttpRefusal.AMBIGUOUS_LENGTH, refusalOf("POST / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\nabc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding: xchunked", "Transfer-Encoding: chunked, gzip",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", "Transfer-Encoding: chunked, chunked",
        "Transfer-Encoding:", "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip"})
    void badTransferCodingIsRefused(String field) {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf("POST / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void transferEncodingInHttp10IsRefused() {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X A: b", "Transfer-Encoding : chunked", "X-\u0001A: b", ": v", "NoColon", "X-A: b\u0000c",
        "X-A: b\rc", "X-A: b\u007Fc", "X(A): b"})
    void badFieldLineIsRefused(String field) {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf("GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET  / HTTP/1.1", "GET / HTTP/1.1 ", "GET /a b HTTP/1.1", "GET / http/1.1", "GET / HTTP/1",
        "GET / HTTP/1.10", "GET /\u0001 HTTP/1.1", "GET /\u00e9 HTTP/1.1", "G(T / HTTP/1.1", " GET / HTTP/1.1", "GET /"})
    void badRequestLineIsRefused(String line) {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf(line + "\r\nHost: a\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\nHost: a\n\n", "GET / HTTP/1.1\r\nHost: a\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\n"})
    void bareLineFeedIsRefused(String raw) {
        assertEquals(HttpRefusal.MALFORMED_REQUEST, refusalOf(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-A: b\r\n  folded", "X-A: b\r\n\tfolded", "Transfer-Encoding:\r\n chunked"})
    void obsoleteFoldingIsRefused(String fields) {
        assertEquals(HttpRefusal.OBSOLETE_FOLDING, refusalOf("POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void foldingIsRefusedAsSoonAsItsFirstByteArrives() {
        List<Object> out = decode("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n", " ");
        try {
            HttpRequest request = assertInstanceOf(HttpRequest.class, out.getFirst());
            assertEquals(HttpRefusal.OBSOLETE_FOLDING, HttpRefusal.forDecoderFailure(request.decoderResult().cause()));
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void requestLineLimitIsTheBufsize() {
        int bufsize = 64;
        String fits = "GET /" + "a".repeat(bufsize - "GET / HTTP/1.1".length()) + " HTTP/1.1";
        assertEquals(bufsize, fits.length());
        assertTrue(described(fits + "\r\nHost: a\r\n\r\n").getFirst().startsWith("ok "));
        List<Object> ok = decode(bufsize, false, fits + "\r\nHost: a\r\n\r\n");
        try {
            assertTrue(((HttpRequest) ok.getFirst()).decoderResult().isSuccess());
        } finally {
            ok.forEach(ReferenceCountUtil::release);
        }
        assertEquals(HttpRefusal.URI_TOO_LONG, refusalOf(bufsize, "GET /a" + fits.substring(5) + "\r\nHost: a\r\n\r\n"));
        // Refused before the line ends: no need to wait for more.
        assertEquals(HttpRefusal.URI_TOO_LONG, refusalOf(bufsize, "GET /" + "a".repeat(bufsize)));
    }

    @Test
    void headerBlockLimitIsTheBufsize() {
        int bufsize = 64;
        String field = "X-A: " + "b".repeat(bufsize - "X-A: ".length() - "Host: a".length());
        List<Object> ok = decode(bufsize, false, "GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n");
        try {
            assertTrue(((HttpRequest) ok.getFirst()).decoderResult().isSuccess());
        } finally {
            ok.forEach(ReferenceCountUtil::release);
        }
        assertEquals(HttpRefusal.HEADERS_TOO_LARGE, refusalOf(bufsize, "GET / HTTP/1.1\r\nHost: a\r\n" + field + "b\r\n\r\n"));
        assertEquals(HttpRefusal.HEADERS_TOO_LARGE, refusalOf(BUFSIZE, "GET / HTTP/1.1\r\nHost: a\r\nX-A: " + "b".repeat(40_000)));
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

    @Test
    void aHeadCutShortByCloseEmitsNothing() {
        // The exchange logs the client leaving mid-request, as HAProxy does, and answers nothing.
        assertTrue(decode(BUFSIZE, true, "GET / HTTP/1.1\r\nHost: a").isEmpty());
        assertTrue(decode(BUFSIZE, true, "GET / HT").isEmpty());
    }

    @Test
    void aBodyCutShortByCloseNeverEnds() {
        List<String> parts = merged(described(POST.substring(0, POST.length() - 2)));
        List<Object> closed = decode(BUFSIZE, true, POST.substring(0, POST.length() - 2));
        try {
            assertEquals(parts, merged(describe(closed)));
            assertFalse(closed.getLast() instanceof LastHttpContent);
        } finally {
            closed.forEach(ReferenceCountUtil::release);
        }
    }

    // ---- refusals of a chunked body ------------------------------------------------------------

    private static final String CHUNKED_HEAD = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    @ParameterizedTest
    @ValueSource(strings = {"g\r\n", "\r\n", "3\nabc\r\n0\r\n\r\n", "3\r\nabcX\r\n0\r\n\r\n", "3\r\nabc\n0\r\n\r\n",
        "80000000\r\n", "ffffffffffffffffffff1\r\n", "3 x\r\nabc\r\n", "3;a\u0001b\r\nabc\r\n", "0\r\nX A: b\r\n\r\n",
        "0\r\nX-T: v\r\n folded\r\n\r\n", "0\r\nX-T: v\n\r\n"})
    void badChunkingBreaksTheBody(String body) {
        assertBrokenBody(CHUNKED_HEAD + body);
    }

    @Test
    void largestChunkSizeIsAccepted() {
        List<Object> out = decode(CHUNKED_HEAD + "7fffffff\r\nabc");
        try {
            assertEquals(2, out.size());
            assertTrue(assertInstanceOf(HttpContent.class, out.get(1)).decoderResult().isSuccess());
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void oversizedTrailersBreakTheBody() {
        assertBrokenBody(CHUNKED_HEAD + "0\r\nX-T: " + "v".repeat(BUFSIZE) + "\r\n\r\n");
    }

    @Test
    void bytesAfterABrokenBodyAreDropped() {
        List<Object> out = decode(CHUNKED_HEAD + "zz\r\n", GET);
        try {
            assertEquals(2, out.size());
            assertNull(out.stream().filter(o -> o instanceof HttpRequest r && "/a?b=c".equals(r.uri())).findAny().orElse(null));
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void outputIsOnlyHttpObjects() {
        List<Object> out = decode(POST + CHUNKED);
        try {
            out.forEach(o -> assertInstanceOf(HttpObject.class, o));
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }
}
