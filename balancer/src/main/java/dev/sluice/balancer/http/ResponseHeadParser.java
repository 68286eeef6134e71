package dev.sluice.balancer.http;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * Reads a complete response head, split into lines by {@link HeadScanner#forResponses}, from one
 * copy of its bytes. The status line is {@code HTTP/x.y SP 3DIGIT [SP reason]}; a folded header
 * line is joined to the one before with spaces in place of its line end, as HAProxy 2.6 and
 * Netty's decoder (which this one replaced) do. Framing is stricter than HAProxy's, on purpose
 * (RFC 9112 §6.3 allows either, and an ambiguous length is how responses get smuggled): a
 * repeated Content-Length, one that is not a number, Content-Length with Transfer-Encoding, a
 * final coding other than chunked, or chunked twice, are refused. Every refusal is a
 * {@link HttpRefusal#BAD_RESPONSE} (the client gets a 502). Names and values are read by
 * {@link FieldReader}, as for requests. One parser per connection; not thread-safe.
 */
final class ResponseHeadParser extends HeadParser<HttpResponse> {
    /** RFC 9110 §15: a status code is three digits. */
    private static final int STATUS_DIGITS = 3;
    private static final int MIN_STATUS = 100;

    ResponseHeadParser() {
        super(new FieldReader(HttpRefusal.BAD_RESPONSE, true));
    }

    @Override
    HttpResponse parseHead(byte[] head, HeadScanner lines) {
        int end = lines.lineEnd(0);
        int versionEnd = 0;
        while (versionEnd < end && head[versionEnd] != ' ') {
            versionEnd++;
        }
        HttpVersion version = FieldReader.version(head, 0, versionEnd);
        if (version == null || versionEnd == end || head[versionEnd] != ' ') {
            throw fields.refused("the status line does not start with an HTTP version");
        }
        HttpResponseStatus status = status(head, versionEnd + 1, end);

        HttpHeaders headers = fields.newHeaders();
        codings.reset();
        int count = lines.lines();
        for (int i = 1; i < count; i++) {
            int start = lines.lineStart(i);
            if (head[start] == ' ' || head[start] == '\t') {
                throw fields.refused("the first header line is folded");
            }
            int lineEnd = lines.lineEnd(i);
            // obs-fold (RFC 9112 §5.2): the next lines join this one, their line ends become spaces.
            while (i + 1 < count && (head[lines.lineStart(i + 1)] == ' ' || head[lines.lineStart(i + 1)] == '\t')) {
                i++;
                for (int j = lineEnd; j < lines.lineStart(i); j++) {
                    head[j] = ' ';
                }
                lineEnd = lines.lineEnd(i);
            }
            fields.read(head, start, lineEnd);
            AsciiString name = fields.name();
            AsciiString value = fields.value();
            if (FieldReader.is(name, HttpHeaderNames.CONTENT_LENGTH)) {
                if (contentLength >= 0) {
                    throw fields.refused("Content-Length is repeated");
                }
                contentLength = FieldReader.decimal(value.array(), value.arrayOffset(),
                        value.arrayOffset() + value.length());
                if (contentLength < 0) {
                    throw fields.refused("Content-Length is not a decimal number");
                }
            } else if (FieldReader.is(name, HttpHeaderNames.TRANSFER_ENCODING)) {
                codings.add(value);
            }
            headers.add(name, value);
        }
        if (codings.present()) {
            if (!codings.chunkedOnceAndLast()) {
                throw fields.refused("the final transfer coding is not chunked, or chunked is applied twice");
            }
            if (contentLength >= 0) {
                throw fields.refused("the response has both Content-Length and Transfer-Encoding");
            }
            chunked = true;
        }
        return new DefaultHttpResponse(version, status, headers);
    }

    /** {@code 3DIGIT [SP reason-phrase]} in {@code head[from, end)}; a known phrase reuses Netty's status. */
    private HttpResponseStatus status(byte[] head, int from, int end) {
        if (end - from < STATUS_DIGITS || end - from > STATUS_DIGITS && head[from + STATUS_DIGITS] != ' ') {
            throw fields.refused("the status code is not three digits");
        }
        int code = 0;
        for (int i = from; i < from + STATUS_DIGITS; i++) {
            if (!FieldReader.digit(head[i])) {
                throw fields.refused("the status code is not three digits");
            }
            code = code * 10 + head[i] - '0';
        }
        if (code < MIN_STATUS) {
            throw fields.refused("the status code is below 100");
        }
        int reasonStart = Math.min(end, from + STATUS_DIGITS + 1);
        for (int i = reasonStart; i < end; i++) {
            int c = head[i] & 0xFF;
            if (c < ' ' && c != '\t' || c == 0x7F) {
                throw fields.refused("the reason phrase holds a control character");
            }
        }
        HttpResponseStatus known = HttpResponseStatus.valueOf(code);
        String phrase = known.reasonPhrase();
        int length = end - reasonStart;
        if (phrase.length() == length) {
            boolean same = true;
            for (int i = 0; i < length && same; i++) {
                same = phrase.charAt(i) == (head[reasonStart + i] & 0xFF);
            }
            if (same) {
                return known;
            }
        }
        return new HttpResponseStatus(code, new String(head, reasonStart, length, StandardCharsets.ISO_8859_1));
    }
}
