package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
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
 * {@link ResponseHeadDecoder} inside a {@link ServerCodec} through an {@link EmbeddedChannel}: each
 * exchange writes a request (so the decoder learns its method) and reads the server's bytes. Good
 * responses (whole and split at every byte, kept alive, every body framing, interim and tunnel
 * responses), then one test per malformation HAProxy 2.6 answers with a 502 (each must come out
 * as a refused head or a broken body), and the leniencies it shares with HAProxy.
 */
class ResponseHeadDecoderTest {
    private static final int BUFSIZE = 16_384;

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Sends requests with these methods, then feeds {@code pieces}; {@code close}: the server closes after. */
    private static List<String> exchange(List<HttpMethod> methods, int bufsize, boolean close, String... pieces) {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(bufsize));
        try {
            for (HttpMethod method : methods) {
                channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
                ReferenceCountUtil.release(channel.readOutbound());
            }
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
            return describe(out);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static List<String> get(String... pieces) {
        return exchange(List.of(HttpMethod.GET), BUFSIZE, false, pieces);
    }

    private static List<String> getThenClose(String... pieces) {
        return exchange(List.of(HttpMethod.GET), BUFSIZE, true, pieces);
    }

    /** One line per part: the head with its headers, content, last (with trailers); released. */
    private static List<String> describe(List<Object> out) {
        List<String> lines = new ArrayList<>();
        for (Object o : out) {
            StringBuilder line = new StringBuilder();
            if (o instanceof HttpResponse r) {
                line.append(r.decoderResult().isSuccess() ? "ok " : "refused ").append(r.protocolVersion()).append(' ')
                        .append(r.status().code()).append(" '").append(r.status().reasonPhrase()).append('\'');
                for (Map.Entry<String, String> h : r.headers()) {
                    line.append(" [").append(h.getKey()).append('=').append(h.getValue()).append(']');
                }
            } else if (o instanceof HttpContent c) {
                if (c instanceof LastHttpContent && c.content().isReadable()) {
                    // A Content-Length body's final bytes ride in its last content: told apart for comparing.
                    lines.add("content " + c.content().toString(StandardCharsets.ISO_8859_1));
                    line.append("last ").append(c.decoderResult().isSuccess() ? "" : "broken ");
                } else {
                    line.append(c instanceof LastHttpContent ? "last " : "content ")
                            .append(c.decoderResult().isSuccess() ? "" : "broken ")
                            .append(c.content().toString(StandardCharsets.ISO_8859_1));
                }
                if (c instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
                    line = new StringBuilder(line.toString().strip());
                    for (Map.Entry<String, String> h : last.trailingHeaders()) {
                        line.append(" [").append(h.getKey()).append('=').append(h.getValue()).append(']');
                    }
                }
            }
            if (o instanceof ByteBuf raw) {
                line.append("raw ").append(raw.toString(StandardCharsets.ISO_8859_1));
            }
            lines.add(line.toString().strip());
            ReferenceCountUtil.release(o);
        }
        return lines;
    }

    /** Content parts joined: how they are cut depends on the reads. */
    private static List<String> joined(List<String> parts) {
        List<String> result = new ArrayList<>();
        StringBuilder body = null;
        for (String part : parts) {
            if (part.startsWith("content ")) {
                body = body == null ? new StringBuilder() : body;
                body.append(part.substring("content ".length()));
                continue;
            }
            if (body != null) {
                result.add("content " + body);
                body = null;
            }
            result.add(part);
        }
        if (body != null) {
            result.add("content " + body);
        }
        return result;
    }

    private static final String KEPT_ALIVE = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
            + "Set-Cookie: a=b\r\n\r\nhello"
            + "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nX-T: 1\r\n\r\n";

    @Test
    void keptAliveResponsesWholeAndSplitAtEveryByte() {
        List<HttpMethod> two = List.of(HttpMethod.GET, HttpMethod.GET);
        List<String> whole = joined(exchange(two, BUFSIZE, false, KEPT_ALIVE));
        assertEquals(List.of(
                "ok HTTP/1.1 200 'OK' [Content-Type=text/plain] [Content-Length=5] [Set-Cookie=a=b]",
                "content hello", "last",
                "ok HTTP/1.1 404 'Not Found' [Transfer-Encoding=chunked]",
                "content abcde", "last [X-T=1]"), whole);
        for (int cut = 1; cut < KEPT_ALIVE.length(); cut++) {
            assertEquals(whole, joined(exchange(two, BUFSIZE, false, KEPT_ALIVE.substring(0, cut), KEPT_ALIVE.substring(cut))),
                    "cut at " + cut);
        }
        String[] bytes = KEPT_ALIVE.split("");
        assertEquals(whole, joined(exchange(two, BUFSIZE, false, bytes)));
    }

    @Test
    void knownReasonPhraseReusesNettysStatusAndOtherPhrasesArePassedOn() {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(BUFSIZE));
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        ReferenceCountUtil.release(channel.readOutbound());
        channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        HttpResponse response = channel.readInbound();
        assertSame(HttpResponseStatus.OK, response.status());
        ReferenceCountUtil.release(channel.readInbound());
        channel.finishAndReleaseAll();
        assertEquals(List.of("ok HTTP/1.1 200 'Fine Thanks' [Content-Length=0]", "last"),
                get("HTTP/1.1 200 Fine Thanks\r\nContent-Length: 0\r\n\r\n"));
        // HAProxy passes a status line without a reason phrase on.
        assertEquals(List.of("ok HTTP/1.1 200 '' [Content-Length=0]", "last"), get("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void aContentLengthBodysFinalBytesRideInItsLastContentWithoutTrailers() {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(BUFSIZE));
        try {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            ReferenceCountUtil.release(channel.readOutbound());
            channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel"));
            ReferenceCountUtil.release(channel.readInbound());
            HttpContent first = channel.readInbound();
            assertEquals("hel", first.content().toString(StandardCharsets.ISO_8859_1));
            org.junit.jupiter.api.Assertions.assertFalse(first instanceof LastHttpContent);
            first.release();
            channel.writeInbound(bytes("lo"));
            LastHttpContent last = channel.readInbound();
            assertEquals("lo", last.content().toString(StandardCharsets.ISO_8859_1));
            assertTrue(last.trailingHeaders().isEmpty());
            LastHttpContent copy = last.copy();
            assertEquals("lo", copy.content().toString(StandardCharsets.ISO_8859_1));
            copy.release();
            last.release();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void commonResponseNamesAreSharedAndOthersReadInPlace() {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(BUFSIZE));
        try {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            ReferenceCountUtil.release(channel.readOutbound());
            channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nServer: nginx\r\nset-cookie: a=b\r\nX-Own: 1\r\n"
                    + "Content-Length: 0\r\n\r\n"));
            HttpResponse response = channel.readInbound();
            List<CharSequence> names = new ArrayList<>();
            response.headers().iteratorCharSequence().forEachRemaining(e -> names.add(e.getKey()));
            assertSame(HeaderNameTable.findResponse("Server".getBytes(StandardCharsets.US_ASCII), 0, 6), names.getFirst());
            assertSame(HeaderNameTable.findResponse("set-cookie".getBytes(StandardCharsets.US_ASCII), 0, 10), names.get(1));
            assertNull(HeaderNameTable.findResponse("X-Own".getBytes(StandardCharsets.US_ASCII), 0, 5));
            assertEquals("X-Own", names.get(2).toString());
            ReferenceCountUtil.release(channel.readInbound());
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aBodyWithoutLengthEndsWhenTheServerCloses() {
        assertEquals(List.of("ok HTTP/1.0 200 'OK'", "content abc", "content def", "last"),
                getThenClose("HTTP/1.0 200 OK\r\n\r\nabc", "def"));
        assertEquals(List.of("ok HTTP/1.1 200 'OK' [Connection=close]", "content abc", "last"),
                getThenClose("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc"));
    }

    @Test
    void responsesToHeadAnd204And304HaveNoBody() {
        List<String> out = exchange(List.of(HttpMethod.HEAD, HttpMethod.GET, HttpMethod.GET), BUFSIZE, false,
                "HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n"
                        + "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n"
                        + "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\n\r\n");
        assertEquals(List.of("ok HTTP/1.1 200 'OK' [Content-Length=42]", "last",
                "ok HTTP/1.1 204 'No Content' [Content-Length=3]", "last",
                "ok HTTP/1.1 304 'Not Modified' [Transfer-Encoding=chunked]", "last",
                "ok HTTP/1.1 200 'OK'"), out); // the fourth answered nothing: unsolicited, read as a GET's
    }

    @Test
    void interimResponsesComeBeforeTheFinalOneOfTheSameRequest() {
        List<String> out = exchange(List.of(HttpMethod.HEAD), BUFSIZE, false,
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n");
        assertEquals(List.of("ok HTTP/1.1 100 'Continue'", "last",
                "ok HTTP/1.1 103 'Early Hints' [Link=</a.css>; rel=preload]", "last",
                "ok HTTP/1.1 200 'OK' [Content-Length=9]", "last"), out); // still the HEAD's: no body
    }

    @Test
    void after101NothingIsDecodedAndTheBytesFlowOnWhenTheCodecLeaves() {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(BUFSIZE));
        try {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws"));
            ReferenceCountUtil.release(channel.readOutbound());
            channel.writeInbound(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi"));
            assertEquals(List.of("ok HTTP/1.1 101 'Switching Protocols' [Upgrade=websocket]"), describe(List.of((Object) channel.readInbound())));
            assertNull(channel.readInbound());
            channel.pipeline().remove(ServerCodec.class);
            assertEquals(List.of("raw \u0081\u0002hi"), describe(List.of((Object) channel.readInbound())));
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void a2xxToConnectStartsATunnelButAnErrorHasABody() {
        assertEquals(List.of("ok HTTP/1.1 200 'Connection established'"),
                exchange(List.of(HttpMethod.CONNECT), BUFSIZE, false,
                        "HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"));
        assertEquals(List.of("ok HTTP/1.1 403 'Forbidden' [Content-Length=2]", "content no", "last"),
                exchange(List.of(HttpMethod.CONNECT), BUFSIZE, false, "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno"));
    }

    @Test
    void aFoldedLineIsJoinedWithSpacesAsHaproxyDoes() {
        assertEquals(List.of("ok HTTP/1.1 200 'OK' [X-A=1   b] [Content-Length=0]", "last"),
                get("HTTP/1.1 200 OK\r\nX-A: 1\r\n b\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void bareLineFeedsEndLinesAsHaproxyReadsThem() {
        assertEquals(List.of("ok HTTP/1.1 200 'OK' [Content-Length=3]", "content abc", "last"),
                get("HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"));
    }

    /** Each is answered 502 by HAProxy 2.6 (checked side by side) unless noted, and refused. */
    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        // Stricter than HAProxy on purpose (it keeps one, or lets chunked win): an ambiguous length.
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd",
        "HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 OK\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTQ/1.1 200 OK\r\n\r\n",
        "HTTP/1 200 OK\r\n\r\n",
        "HTTP/1.1 200 O\u0001K\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A : 1\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-V: a\u0001b\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded-first: 1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
    })
    void malformedHeadsAreRefused(String response) {
        List<String> out = get(response);
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.getFirst().startsWith("refused "), out.toString());
    }

    @Test
    void theRefusalNamesABadResponse() {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(BUFSIZE));
        try {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            ReferenceCountUtil.release(channel.readOutbound());
            channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
            HttpResponse refused = channel.readInbound();
            HeadRefusedException cause = assertInstanceOf(HeadRefusedException.class, refused.decoderResult().cause());
            assertEquals(HttpRefusal.BAD_RESPONSE, cause.refusal());
            // Nothing after a refusal is read.
            channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
            assertNull(channel.readInbound());
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void brokenChunkedBodiesEndInvalid() {
        for (String body : List.of("zz\r\nab\r\n", "3\r\nabcX\r\n", "3\nabc\r\n", "3 x\r\nabc\r\n")) {
            List<String> out = get("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
            assertEquals("last broken", out.getLast(), body + " → " + out);
            assertTrue(out.stream().noneMatch(s -> s.equals("last")), out.toString());
        }
    }

    @Test
    void aBodyCutShortByTheServerEndsInvalid() {
        assertEquals(List.of("ok HTTP/1.1 200 'OK' [Content-Length=5]", "content ab", "last broken"),
                getThenClose("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"));
        assertEquals(List.of("ok HTTP/1.1 200 'OK' [Transfer-Encoding=chunked]", "content ab", "last broken"),
                getThenClose("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"));
    }

    @Test
    void aHeadCutShortIsRefusedOnceItsStatusLineCameAndIgnoredBefore() {
        List<String> afterStatus = getThenClose("HTTP/1.1 200 OK\r\nContent-Le");
        assertEquals(1, afterStatus.size());
        assertTrue(afterStatus.getFirst().startsWith("refused "), afterStatus.toString());
        assertEquals(List.of(), getThenClose("HTTP/1.1 20"));
        assertEquals(List.of(), getThenClose());
    }

    @Test
    void headsOverTheBufferSizeAreRefused() {
        int bufsize = 256;
        String longStatus = "HTTP/1.1 200 " + "x".repeat(bufsize) + "\r\n\r\n";
        assertTrue(exchange(List.of(HttpMethod.GET), bufsize, false, longStatus).getFirst().startsWith("refused "));
        String manyFields = "HTTP/1.1 200 OK\r\n" + "X-Field: 0123456789\r\n".repeat(bufsize / 16) + "\r\n";
        assertTrue(exchange(List.of(HttpMethod.GET), bufsize, false, manyFields).getFirst().startsWith("refused "));
        // The same limit is reached before the blank line has come.
        String partial = "HTTP/1.1 200 OK\r\n" + "X-Field: 0123456789\r\n".repeat(bufsize / 16);
        assertTrue(exchange(List.of(HttpMethod.GET), bufsize, false, partial).getFirst().startsWith("refused "));
        String fits = "HTTP/1.1 200 OK\r\n" + "X-Field: 0123456789\r\n".repeat(bufsize / 32) + "Content-Length: 0\r\n\r\n";
        assertTrue(exchange(List.of(HttpMethod.GET), bufsize, false, fits).getFirst().startsWith("ok "));
    }

    /** tune.bufsize - tune.maxrewrite holds the whole head, status line included, line ends not. */
    @Test
    void theHeadRoomHoldsTheStatusLineAndTheHeaderLinesTogether() {
        String status = "HTTP/1.1 200 OK"; // 15 bytes
        String length = "Content-Length: 0"; // 17 bytes
        int room = 1_000;
        String fits = status + "\r\n" + length + "\r\nX-Pad: " + "p".repeat(room - 15 - 17 - 7) + "\r\n\r\n";
        String over = status + "\r\n" + length + "\r\nX-Pad: " + "p".repeat(room - 15 - 17 - 7 + 1) + "\r\n\r\n";
        for (int cut : new int[] {0, 20, 500}) {
            assertTrue(headWith(room, fits, cut).startsWith("ok "), "cut at " + cut);
            assertTrue(headWith(room, over, cut).startsWith("refused "), "cut at " + cut);
        }
    }

    private static String headWith(int room, String response, int cut) {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(BUFSIZE, room));
        try {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            ReferenceCountUtil.release(channel.readOutbound());
            if (cut > 0) {
                channel.writeInbound(bytes(response.substring(0, cut)));
            }
            channel.writeInbound(bytes(response.substring(cut)));
            return describe(List.of((Object) channel.readInbound())).getFirst();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void headersLeftByTheParserAreStillValidatedWhenRulesAddThem() {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(BUFSIZE));
        try {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            ReferenceCountUtil.release(channel.readOutbound());
            channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
            HttpResponse response = channel.readInbound();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> response.headers().add("X-Bad", "a\r\nb"));
            response.headers().add(HttpHeaderNames.VARY, "accept-encoding");
            assertEquals("accept-encoding", response.headers().get(HttpHeaderNames.VARY));
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
