package dev.sluice.balancer.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * Reads a complete request head, already split into lines by {@link HeadScanner}, from one copy of
 * its bytes, checking every byte once (RFC 9112 §3 request line, RFC 9110 §5 field names and
 * values) and working out the body's framing (RFC 9112 §6): Content-Length and Transfer-Encoding
 * both present, a repeated or non-numeric Content-Length, a final transfer coding other than
 * chunked, chunked twice, and Transfer-Encoding in HTTP/1.0 are refused. Names and values are
 * {@link AsciiString}s over the copy, read by {@link FieldReader} (shared with the response side).
 * One parser per connection; not thread-safe.
 */
final class RequestHeadParser extends HeadParser<HttpRequest> {
    private static final HttpMethod[] METHODS = {
        HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.CONNECT, HttpMethod.TRACE,
    };

    RequestHeadParser() {
        super(new FieldReader(HttpRefusal.MALFORMED_REQUEST));
    }

    @Override
    HttpRequest parseHead(byte[] head, HeadScanner lines) {
        int end = lines.lineEnd(0);
        int methodEnd = FieldReader.tokenEnd(head, 0, end);
        if (methodEnd == 0 || methodEnd == end || head[methodEnd] != ' ') {
            throw malformed("the request line has no valid method");
        }
        int targetStart = methodEnd + 1;
        int targetEnd = targetStart;
        while (targetEnd < end && head[targetEnd] > ' ' && head[targetEnd] < 0x7F) {
            targetEnd++;
        }
        if (targetEnd == targetStart || targetEnd == end || head[targetEnd] != ' ') {
            throw malformed("the request target is empty or holds a character it may not");
        }
        HttpVersion version = version(head, targetEnd + 1, end);
        HttpMethod method = method(head, methodEnd);
        String uri = new String(head, targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);

        HttpHeaders headers = fields.newHeaders();
        boolean hasLength = false;
        codings.reset();
        for (int i = 1; i < lines.lines(); i++) {
            fields.read(head, lines.lineStart(i), lines.lineEnd(i));
            AsciiString name = fields.name();
            AsciiString value = fields.value();
            headers.add(name, value);
            if (is(name, HttpHeaderNames.CONTENT_LENGTH)) {
                if (hasLength) {
                    throw ambiguous("Content-Length is repeated");
                }
                hasLength = true;
                contentLength = length(value);
            } else if (is(name, HttpHeaderNames.TRANSFER_ENCODING)) {
                codings.add(value);
            }
        }
        if (codings.present()) {
            if (hasLength) {
                throw ambiguous("the request has both Content-Length and Transfer-Encoding");
            }
            if (version == HttpVersion.HTTP_1_0) {
                throw malformed("Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1)");
            }
            if (!codings.chunkedOnceAndLast()) {
                throw malformed("the final transfer coding is not chunked, or chunked is applied twice");
            }
            chunked = true;
        }
        return new DefaultHttpRequest(version, method, uri, headers);
    }

    private static boolean is(AsciiString name, AsciiString known) {
        return FieldReader.is(name, known);
    }

    private static HttpVersion version(byte[] head, int from, int end) {
        // Other versions than 1.0 and 1.1 are accepted as HAProxy does; the exchange forwards them as 1.1.
        HttpVersion version = FieldReader.version(head, from, end);
        if (version == null) {
            throw malformed("the request line does not end with an HTTP version");
        }
        return version;
    }

    private static HttpMethod method(byte[] head, int length) {
        for (HttpMethod known : METHODS) {
            AsciiString text = known.asciiName();
            if (text.length() == length && FieldReader.sameBytes(head, 0, text.array(), text.arrayOffset(), length)) {
                return known;
            }
        }
        return HttpMethod.valueOf(new String(head, 0, length, StandardCharsets.US_ASCII));
    }

    /** RFC 9110 §8.6: 1*DIGIT, nothing else (no sign, no list, no spaces inside). */
    private static long length(AsciiString value) {
        if (value.isEmpty()) {
            throw ambiguous("Content-Length is empty");
        }
        long result = FieldReader.decimal(value.array(), value.arrayOffset(), value.arrayOffset() + value.length());
        if (result < 0) {
            throw ambiguous("Content-Length is not a decimal number, or is too large");
        }
        return result;
    }

    private static HeadRefusedException malformed(String why) {
        return new HeadRefusedException(HttpRefusal.MALFORMED_REQUEST, why);
    }

    private static HeadRefusedException ambiguous(String why) {
        return new HeadRefusedException(HttpRefusal.AMBIGUOUS_LENGTH, why);
    }
}
