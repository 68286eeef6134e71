package dev.sluice.balancer.http;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
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
 * {@link AsciiString}s over the copy (common names shared, see {@link HeaderNameTable}), so the
 * headers need no further validation. One parser per connection; not thread-safe.
 *
 * <p>The headers it makes skip Netty's validation only for what the parser adds (it checked each
 * byte already): whatever is added or set later, by {@code http-request} rules for instance, is
 * validated as in any Netty headers, so a rendered value cannot smuggle a line end to the server.
 */
final class RequestHeadParser {
    /** Netty's own checks, for what others add to the headers we made. */
    private static final DefaultHttpHeadersFactory NETTY_HEADERS = DefaultHttpHeadersFactory.headersFactory();
    private static final DefaultHttpHeadersFactory NETTY_TRAILERS = DefaultHttpHeadersFactory.trailersFactory();

    private static final boolean[] TCHAR = tchars();
    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_0 = "HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION_LENGTH = HTTP_1_1.length;
    private static final HttpMethod[] METHODS = {
        HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.CONNECT, HttpMethod.TRACE,
    };

    /** Whether the fields being added are the parser's own, checked already. */
    private boolean parsing;
    private final HttpHeadersFactory headersFactory = trusting(NETTY_HEADERS);
    private final HttpHeadersFactory trailersFactory = trusting(NETTY_TRAILERS);

    /** The body's framing found by the last {@link #parse}: a length (-1: none) or chunked. */
    private long contentLength;
    private boolean chunked;
    /** The field line read last by {@link #field}. */
    private AsciiString name;
    private AsciiString value;

    private static boolean[] tchars() {
        boolean[] table = new boolean[256];
        for (int c = '0'; c <= '9'; c++) {
            table[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            table[c] = true;
            table[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            table[c] = true;
        }
        return table;
    }

    private HttpHeadersFactory trusting(DefaultHttpHeadersFactory netty) {
        DefaultHeaders.NameValidator<CharSequence> names = netty.getNameValidator();
        DefaultHeaders.ValueValidator<CharSequence> values = netty.getValueValidator();
        return DefaultHttpHeadersFactory.headersFactory()
                .withNameValidator(name -> {
                    if (!parsing) {
                        names.validateName(name);
                    }
                })
                .withValueValidator(value -> {
                    if (!parsing) {
                        values.validate(value);
                    }
                });
    }

    /** What trailers are made with: Netty's checks except for what the parser adds. */
    HttpHeadersFactory trailersFactory() {
        return trailersFactory;
    }

    /** -1 when the last request parsed has no Content-Length (and is not chunked: no body). */
    long contentLength() {
        return contentLength;
    }

    boolean chunked() {
        return chunked;
    }

    /**
     * @param head  the head's bytes, from its request line to its blank line; the request keeps
     *              references into it
     * @param lines where each of its lines ends
     * @throws HeadRefusedException when the head must be refused
     */
    HttpRequest parse(byte[] head, HeadScanner lines) {
        parsing = true;
        try {
            return parseHead(head, lines);
        } finally {
            parsing = false;
        }
    }

    private HttpRequest parseHead(byte[] head, HeadScanner lines) {
        contentLength = -1;
        chunked = false;
        int end = lines.lineEnd(0);
        int methodEnd = tokenEnd(head, 0, end);
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

        HttpHeaders headers = headersFactory.newHeaders();
        boolean hasLength = false;
        boolean hasCoding = false;
        boolean lastChunked = false;
        int chunkedCount = 0;
        for (int i = 1; i < lines.lines(); i++) {
            field(head, lines.lineStart(i), lines.lineEnd(i));
            headers.add(name, value);
            if (is(name, HttpHeaderNames.CONTENT_LENGTH)) {
                if (hasLength) {
                    throw ambiguous("Content-Length is repeated");
                }
                hasLength = true;
                contentLength = length(value);
            } else if (is(name, HttpHeaderNames.TRANSFER_ENCODING)) {
                hasCoding = true;
                // A list may be split over several lines; only the last coding counts as final.
                int from = 0;
                int length = value.length();
                while (from <= length) {
                    int comma = value.indexOf(',', from);
                    int to = comma < 0 ? length : comma;
                    AsciiString coding = value.subSequence(from, to, false).trim();
                    if (!coding.isEmpty()) {
                        lastChunked = coding.contentEqualsIgnoreCase(HttpHeaderValues.CHUNKED);
                        chunkedCount += lastChunked ? 1 : 0;
                    }
                    from = to + 1;
                }
            }
        }
        if (hasCoding) {
            if (hasLength) {
                throw ambiguous("the request has both Content-Length and Transfer-Encoding");
            }
            if (version == HttpVersion.HTTP_1_0) {
                throw malformed("Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1)");
            }
            if (!lastChunked || chunkedCount != 1) {
                throw malformed("the final transfer coding is not chunked, or chunked is applied twice");
            }
            chunked = true;
        }
        return new DefaultHttpRequest(version, method, uri, headers);
    }

    /**
     * Adds the trailer fields of a chunked body (RFC 9112 §7.1.2) to {@code into}, leaving out those
     * that only frame a message: a trailer cannot change how the body was read.
     */
    void trailers(byte[] section, HeadScanner lines, HttpHeaders into) {
        parsing = true;
        try {
            for (int i = 0; i < lines.lines(); i++) {
                field(section, lines.lineStart(i), lines.lineEnd(i));
                if (!is(name, HttpHeaderNames.CONTENT_LENGTH) && !is(name, HttpHeaderNames.TRANSFER_ENCODING)
                        && !is(name, HttpHeaderNames.TRAILER)) {
                    into.add(name, value);
                }
            }
        } finally {
            parsing = false;
        }
    }

    /** Reads {@code name: value} from {@code bytes[start, end)} into {@link #name} and {@link #value}. */
    private void field(byte[] bytes, int start, int end) {
        int colon = tokenEnd(bytes, start, end);
        if (colon == start || colon == end || bytes[colon] != ':') {
            throw malformed("a header name is empty, holds a character it may not, or has no colon after it");
        }
        name = HeaderNameTable.name(bytes, start, colon - start);
        int from = colon + 1;
        while (from < end && (bytes[from] == ' ' || bytes[from] == '\t')) {
            from++;
        }
        int to = end;
        while (to > from && (bytes[to - 1] == ' ' || bytes[to - 1] == '\t')) {
            to--;
        }
        for (int i = from; i < to; i++) {
            int c = bytes[i] & 0xFF;
            if (c < ' ' && c != '\t' || c == 0x7F) {
                throw malformed("a header value holds a control character");
            }
        }
        value = from == to ? AsciiString.EMPTY_STRING : new AsciiString(bytes, from, to - from, false);
    }

    private static int tokenEnd(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && TCHAR[bytes[i] & 0xFF]) {
            i++;
        }
        return i;
    }

    private static boolean is(AsciiString name, AsciiString known) {
        return name.length() == known.length() && name.contentEqualsIgnoreCase(known);
    }

    private static HttpVersion version(byte[] head, int from, int end) {
        if (end - from != VERSION_LENGTH) {
            throw malformed("the request line does not end with an HTTP version");
        }
        if (sameBytes(head, from, HTTP_1_1)) {
            return HttpVersion.HTTP_1_1;
        }
        if (sameBytes(head, from, HTTP_1_0)) {
            return HttpVersion.HTTP_1_0;
        }
        // "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3): other versions are accepted as HAProxy does;
        // the exchange forwards them as 1.1.
        if (!sameBytes(head, from, HTTP_1_1, 5) || !digit(head[from + 5]) || head[from + 6] != '.'
                || !digit(head[from + 7])) {
            throw malformed("the request line does not end with an HTTP version");
        }
        return HttpVersion.valueOf(new String(head, from, VERSION_LENGTH, StandardCharsets.US_ASCII));
    }

    private static HttpMethod method(byte[] head, int length) {
        for (HttpMethod known : METHODS) {
            AsciiString text = known.asciiName();
            if (text.length() == length && sameBytes(head, 0, text.array(), text.arrayOffset(), length)) {
                return known;
            }
        }
        return HttpMethod.valueOf(new String(head, 0, length, StandardCharsets.US_ASCII));
    }

    /** RFC 9110 §8.6: 1*DIGIT, nothing else (no sign, no list, no spaces inside). */
    private static long length(AsciiString value) {
        int length = value.length();
        if (length == 0) {
            throw ambiguous("Content-Length is empty");
        }
        long result = 0;
        for (int i = 0; i < length; i++) {
            int digit = value.byteAt(i) - '0';
            if (digit < 0 || digit > 9) {
                throw ambiguous("Content-Length is not a decimal number");
            }
            if (result > (Long.MAX_VALUE - digit) / 10) {
                throw ambiguous("Content-Length is too large");
            }
            result = result * 10 + digit;
        }
        return result;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean sameBytes(byte[] bytes, int from, byte[] expected) {
        return sameBytes(bytes, from, expected, expected.length);
    }

    private static boolean sameBytes(byte[] bytes, int from, byte[] expected, int length) {
        return sameBytes(bytes, from, expected, 0, length);
    }

    private static boolean sameBytes(byte[] bytes, int from, byte[] expected, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[from + i] != expected[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static HeadRefusedException malformed(String why) {
        return new HeadRefusedException(HttpRefusal.MALFORMED_REQUEST, why);
    }

    private static HeadRefusedException ambiguous(String why) {
        return new HeadRefusedException(HttpRefusal.AMBIGUOUS_LENGTH, why);
    }
}
