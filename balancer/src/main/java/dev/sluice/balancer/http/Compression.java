package dev.sluice.balancer.http;

import dev.sluice.balancer.runtime.CompressionAlgorithm;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Iterator;
import java.util.List;

/**
 * HAProxy 2.6's compression decisions, pure functions over headers: which algorithm a request's
 * {@code Accept-Encoding} selects, whether a response may be compressed, and how its head changes
 * when it is. Each rule below was checked against Debian's haproxy 2.6 ({@code CompressionDifferentialIT}).
 */
final class Compression {

    /** q-values are read in thousandths, as HAProxy does (q=1 is 1000). */
    private static final int Q_ONE = 1000;
    private static final String NO_TRANSFORM = "no-transform";
    private static final String MULTIPART = "multipart";
    private static final String WEAK_PREFIX = "W/";

    private Compression() {
    }

    /**
     * The algorithm {@code request} selects among {@code algorithms} (HAProxy's order), or null. Old
     * browsers calling themselves "Mozilla/4" get nothing unless they are MSIE 6 SP2 or a later MSIE.
     * Each {@code Accept-Encoding} element's q-value must beat the best so far (so q=0 never wins and
     * the first of equals does); {@code *} stands for the first algorithm. When none is accepted,
     * {@code identity} is chosen if it is configured.
     */
    static CompressionAlgorithm negotiate(List<CompressionAlgorithm> algorithms, HttpHeaders request) {
        String agent = request.get(HttpHeaderNames.USER_AGENT);
        if (agent != null && oldBrowser(agent)) {
            return null;
        }
        CompressionAlgorithm chosen = null;
        int best = 0;
        Iterator<? extends CharSequence> values = request.valueCharSequenceIterator(HttpHeaderNames.ACCEPT_ENCODING);
        while (values.hasNext()) {
            CharSequence value = values.next();
            int length = value.length();
            int start = 0;
            while (start < length) {
                int comma = indexOf(value, ',', start, length);
                int from = skipSpace(value, start, comma);
                int to = comma;
                while (to > from && isSpace(value.charAt(to - 1))) {
                    to--;
                }
                if (from < to) {
                    int tokenEnd = from;
                    while (tokenEnd < to && isTokenChar(value.charAt(tokenEnd))) {
                        tokenEnd++;
                    }
                    int q = qValue(value, tokenEnd, to);
                    if (q > best) {
                        for (CompressionAlgorithm algorithm : algorithms) {
                            if (value.charAt(from) == '*' || sameToken(value, from, tokenEnd, algorithm.token())) {
                                chosen = algorithm;
                                best = q;
                                break;
                            }
                        }
                    }
                }
                start = comma + 1;
            }
        }
        if (chosen == null && algorithms.contains(CompressionAlgorithm.IDENTITY)) {
            return CompressionAlgorithm.IDENTITY;
        }
        return chosen;
    }

    /**
     * Whether a final response may be compressed: HTTP/1.1 from the server, status 200 to 203, not
     * to a HEAD, a body framed by a non-zero Content-Length or by chunks (never a close-delimited
     * one), no Content-Encoding yet, no {@code Cache-Control: no-transform}, at most one ETag and a
     * well-formed one, not multipart, and a Content-Type starting with one of {@code types} when
     * types are set (then a response without Content-Type is not compressed).
     */
    static boolean applies(HttpResponse response, boolean head, List<String> types) {
        int status = response.status().code();
        if (status < 200 || status > 203 || head || response.protocolVersion().majorVersion() != 1
                || response.protocolVersion().minorVersion() != 1) {
            return false;
        }
        HttpHeaders headers = response.headers();
        if (!HttpUtil.isTransferEncodingChunked(response) && HttpUtil.getContentLength(response, 0L) <= 0) {
            return false;
        }
        if (headers.contains(HttpHeaderNames.CONTENT_ENCODING) || noTransform(headers) || !etagAllows(headers)) {
            return false;
        }
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return types.isEmpty();
        }
        if (type.regionMatches(true, 0, MULTIPART, 0, MULTIPART.length())) {
            return false;
        }
        if (types.isEmpty()) {
            return true;
        }
        for (String prefix : types) {
            if (type.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The head of a response about to be compressed with {@code algorithm}: its length goes, it is
     * sent chunked, a strong ETag becomes weak, {@code Vary: Accept-Encoding} is added (HAProxy 2.6
     * adds it even when the server sent one) and Content-Encoding names the algorithm (none for
     * identity).
     */
    static void rewriteHead(HttpHeaders headers, CompressionAlgorithm algorithm) {
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (!headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)) {
            headers.add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String etag = headers.get(HttpHeaderNames.ETAG);
        if (etag != null && etag.startsWith("\"")) {
            headers.set(HttpHeaderNames.ETAG, WEAK_PREFIX + etag);
        }
        headers.add(HttpHeaderNames.VARY, "Accept-Encoding");
        if (algorithm != CompressionAlgorithm.IDENTITY) {
            headers.add(HttpHeaderNames.CONTENT_ENCODING, algorithm.token());
        }
    }

    /** HAProxy's test for browsers that mishandle compressed responses (Mozilla/4 but not MSIE 6 SP2+). */
    static boolean oldBrowser(String agent) {
        if (!agent.startsWith("Mozilla/4")) {
            return false;
        }
        if (agent.length() < 31 || !agent.startsWith("MSIE ", 25) || agent.charAt(30) < '6') {
            return true;
        }
        return agent.charAt(30) == '6' && (agent.length() < 54 || !agent.startsWith("SV1", 51));
    }

    private static boolean noTransform(HttpHeaders headers) {
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CACHE_CONTROL);
        while (values.hasNext()) {
            CharSequence value = values.next();
            int length = value.length();
            int start = 0;
            while (start < length) {
                int comma = indexOf(value, ',', start, length);
                int from = skipSpace(value, start, comma);
                int to = comma;
                while (to > from && isSpace(value.charAt(to - 1))) {
                    to--;
                }
                if (sameToken(value, from, to, NO_TRANSFORM)) {
                    return true;
                }
                start = comma + 1;
            }
        }
        return false;
    }

    /** One ETag at most, and well formed: {@code "…"} (strong) or {@code W/"…"} (weak). */
    private static boolean etagAllows(HttpHeaders headers) {
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.ETAG);
        if (!values.hasNext()) {
            return true;
        }
        CharSequence etag = values.next();
        if (values.hasNext()) {
            return false;
        }
        int length = etag.length();
        if (length >= 2 && etag.charAt(0) == '"' && etag.charAt(length - 1) == '"') {
            return true;
        }
        return length >= 4 && etag.charAt(0) == 'W' && etag.charAt(1) == '/' && etag.charAt(2) == '"'
                && etag.charAt(length - 1) == '"';
    }

    /**
     * The q-value of the element whose parameters run from {@code from} to {@code to}: the first
     * {@code q=} parameter (lower-case only, as HAProxy reads it), else 1000.
     */
    private static int qValue(CharSequence value, int from, int to) {
        int at = from;
        while (true) {
            at = skipSpace(value, at, to);
            if (at >= to || value.charAt(at) != ';') {
                return Q_ONE;
            }
            at = skipSpace(value, at + 1, to);
            if (at >= to) {
                return Q_ONE;
            }
            if (at + 1 < to && value.charAt(at) == 'q' && value.charAt(at + 1) == '=') {
                return parseQ(value, at + 2, to);
            }
            while (at < to && value.charAt(at) != ';') {
                at++;
            }
        }
    }

    /** {@code 0}, {@code 1}, {@code 0.5}, {@code 0.125}… in thousandths; what is not a digit ends it. */
    private static int parseQ(CharSequence value, int at, int to) {
        if (at >= to || !isDigit(value.charAt(at))) {
            return Q_ONE;
        }
        int q = (value.charAt(at++) - '0') * Q_ONE;
        if (at < to && value.charAt(at) == '.') {
            at++;
            for (int scale = 100; scale >= 1 && at < to && isDigit(value.charAt(at)); scale /= 10) {
                q += (value.charAt(at++) - '0') * scale;
            }
        }
        return Math.min(q, Q_ONE);
    }

    private static boolean sameToken(CharSequence value, int from, int to, String token) {
        if (to - from != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (Character.toLowerCase(value.charAt(from + i)) != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence value, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }

    private static int skipSpace(CharSequence value, int from, int to) {
        while (from < to && isSpace(value.charAt(from))) {
            from++;
        }
        return from;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
