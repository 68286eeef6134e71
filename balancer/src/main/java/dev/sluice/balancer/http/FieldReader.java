package dev.sluice.balancer.http;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * What the request and response head parsers share: reading one field line ({@code name: value},
 * RFC 9110 §5) from a copy of a head, the headers those fields go into, a chunked body's trailers
 * and the byte checks of tokens and numbers. Names and values are {@link AsciiString}s over the
 * copy (common names shared, see {@link HeaderNameTable}), so the headers need no further
 * validation. One reader per connection; not thread-safe.
 *
 * <p>The headers it makes skip Netty's validation only for what the parser adds (it checked each
 * byte already): whatever is added or set later, by rules for instance, is validated as in any
 * Netty headers, so a rendered value cannot smuggle a line end to the peer.
 */
final class FieldReader {
    /** Netty's own checks, for what others add to the headers we made. */
    private static final DefaultHttpHeadersFactory NETTY_HEADERS = DefaultHttpHeadersFactory.headersFactory();
    private static final DefaultHttpHeadersFactory NETTY_TRAILERS = DefaultHttpHeadersFactory.trailersFactory();
    private static final boolean[] TCHAR = tchars();
    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_0 = "HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION_LENGTH = HTTP_1_1.length;

    /** What a field line that cannot be read is refused as: a bad request, or a bad response. */
    private final HttpRefusal refusal;
    /** Whether names are looked up among the common response names rather than the request ones. */
    private final boolean response;
    /** Whether the fields being added are the parser's own, checked already. */
    private boolean parsing;
    private final HttpHeadersFactory headersFactory = trusting(NETTY_HEADERS);
    private final HttpHeadersFactory trailersFactory = trusting(NETTY_TRAILERS);
    /** The field line read last by {@link #read}. */
    private AsciiString name;
    private AsciiString value;

    /** A reader of request fields. */
    FieldReader(HttpRefusal refusal) {
        this(refusal, false);
    }

    /** @param response whether it reads a response's fields (its names are shared from their own table) */
    FieldReader(HttpRefusal refusal, boolean response) {
        this.refusal = refusal;
        this.response = response;
    }

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

    /** Fields added from now on are the parser's own (until {@link #endParsing}). */
    void beginParsing() {
        parsing = true;
    }

    void endParsing() {
        parsing = false;
    }

    /** New headers for a head: Netty's checks except for what the parser adds. */
    HttpHeaders newHeaders() {
        return headersFactory.newHeaders();
    }

    /** What trailers are made with: Netty's checks except for what the parser adds. */
    HttpHeadersFactory trailersFactory() {
        return trailersFactory;
    }

    AsciiString name() {
        return name;
    }

    AsciiString value() {
        return value;
    }

    /** Reads {@code name: value} from {@code bytes[start, end)} into {@link #name} and {@link #value}. */
    void read(byte[] bytes, int start, int end) {
        int colon = tokenEnd(bytes, start, end);
        if (colon == start || colon == end || bytes[colon] != ':') {
            throw refused("a header name is empty, holds a character it may not, or has no colon after it");
        }
        name = response ? HeaderNameTable.responseName(bytes, start, colon - start)
                : HeaderNameTable.name(bytes, start, colon - start);
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
                throw refused("a header value holds a control character");
            }
        }
        value = from == to ? AsciiString.EMPTY_STRING : new AsciiString(bytes, from, to - from, false);
    }

    /**
     * Adds the trailer fields of a chunked body (RFC 9112 §7.1.2) to {@code into}, leaving out those
     * that only frame a message: a trailer cannot change how the body was read.
     */
    void trailers(byte[] section, HeadScanner lines, HttpHeaders into) {
        parsing = true;
        try {
            for (int i = 0; i < lines.lines(); i++) {
                read(section, lines.lineStart(i), lines.lineEnd(i));
                if (!is(name, HttpHeaderNames.CONTENT_LENGTH) && !is(name, HttpHeaderNames.TRANSFER_ENCODING)
                        && !is(name, HttpHeaderNames.TRAILER)) {
                    into.add(name, value);
                }
            }
        } finally {
            parsing = false;
        }
    }

    HeadRefusedException refused(String why) {
        return new HeadRefusedException(refusal, why);
    }

    static int tokenEnd(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && TCHAR[bytes[i] & 0xFF]) {
            i++;
        }
        return i;
    }

    static boolean is(AsciiString name, AsciiString known) {
        return name.length() == known.length() && name.contentEqualsIgnoreCase(known);
    }

    /** RFC 9110 §8.6: 1*DIGIT, nothing else (no sign, no list, no spaces inside); -1 when it is not. */
    static long decimal(byte[] bytes, int from, int to) {
        if (from == to) {
            return -1;
        }
        long result = 0;
        for (int i = from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || result > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            result = result * 10 + digit;
        }
        return result;
    }

    /** {@code HTTP/} DIGIT {@code .} DIGIT (RFC 9112 §2.3) in {@code bytes[from, end)}, or null. */
    static HttpVersion version(byte[] bytes, int from, int end) {
        if (end - from != VERSION_LENGTH) {
            return null;
        }
        if (sameBytes(bytes, from, HTTP_1_1, 0, VERSION_LENGTH)) {
            return HttpVersion.HTTP_1_1;
        }
        if (sameBytes(bytes, from, HTTP_1_0, 0, VERSION_LENGTH)) {
            return HttpVersion.HTTP_1_0;
        }
        if (!sameBytes(bytes, from, HTTP_1_1, 0, 5) || !digit(bytes[from + 5]) || bytes[from + 6] != '.'
                || !digit(bytes[from + 7])) {
            return null;
        }
        return HttpVersion.valueOf(new String(bytes, from, VERSION_LENGTH, StandardCharsets.US_ASCII));
    }

    static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean sameBytes(byte[] bytes, int from, byte[] expected, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[from + i] != expected[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
