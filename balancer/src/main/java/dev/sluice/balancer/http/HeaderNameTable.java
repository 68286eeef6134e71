package dev.sluice.balancer.http;

import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shared name objects for the header names nearly every request (or, in a table of its own, every
 * response) carries, so a decoded head does not build a new name (and hash it) for each of them. A name is reused only when its bytes are
 * exactly those of a table entry: the case a client chose is what the server receives, as before.
 * Each name is held in its usual spelling and in lower case (HTTP/2 gateways, curl's -H users).
 */
final class HeaderNameTable {
    /** Names a browser, curl or a load generator sends on most requests, in their usual spelling. */
    private static final String[] COMMON = {
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset",
        "Connection", "Keep-Alive", "Content-Length", "Content-Type", "Transfer-Encoding", "Cookie",
        "Referer", "Origin", "Authorization", "Cache-Control", "Pragma", "If-None-Match",
        "If-Modified-Since", "Upgrade", "Expect", "Range", "TE", "Via", "Forwarded",
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP", "X-Request-Id",
        "Upgrade-Insecure-Requests", "DNT", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site",
        "Sec-Fetch-User", "Priority",
    };
    /** Names servers (nginx, Apache, application servers, caches) send on most responses. */
    private static final String[] COMMON_RESPONSE = {
        "Server", "Date", "Content-Type", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
        "Last-Modified", "ETag", "Cache-Control", "Expires", "Set-Cookie", "Vary", "Location", "Accept-Ranges",
        "Content-Encoding", "Content-Range", "Age", "Via", "Link", "Pragma", "Upgrade", "Trailer",
        "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Access-Control-Allow-Origin",
        "Content-Disposition", "Content-Language", "X-Request-Id",
    };
    private static final int LONGEST = 32;

    /** Entries by name length; each array is searched in order (a handful per length). */
    private static final AsciiString[][] BY_LENGTH = build(COMMON);
    private static final AsciiString[][] RESPONSE_BY_LENGTH = build(COMMON_RESPONSE);

    private HeaderNameTable() {
    }

    private static AsciiString[][] build(String[] common) {
        List<List<AsciiString>> lists = new ArrayList<>();
        for (int i = 0; i <= LONGEST; i++) {
            lists.add(new ArrayList<>());
        }
        for (String name : common) {
            if (name.length() > LONGEST) {
                throw new IllegalStateException("header name longer than the table allows: " + name);
            }
            AsciiString usual = AsciiString.cached(name);
            lists.get(name.length()).add(usual);
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals(name)) {
                lists.get(name.length()).add(AsciiString.cached(lower));
            }
        }
        AsciiString[][] table = new AsciiString[LONGEST + 1][];
        for (int i = 0; i <= LONGEST; i++) {
            table[i] = lists.get(i).toArray(new AsciiString[0]);
        }
        return table;
    }

    /** The shared request header name spelled exactly as {@code bytes[start, start + length)}, or null. */
    static AsciiString find(byte[] bytes, int start, int length) {
        return find(BY_LENGTH, bytes, start, length);
    }

    /** The same among response header names. */
    static AsciiString findResponse(byte[] bytes, int start, int length) {
        return find(RESPONSE_BY_LENGTH, bytes, start, length);
    }

    private static AsciiString find(AsciiString[][] table, byte[] bytes, int start, int length) {
        if (length > LONGEST) {
            return null;
        }
        for (AsciiString candidate : table[length]) {
            if (sameBytes(candidate.array(), candidate.arrayOffset(), bytes, start, length)) {
                return candidate;
            }
        }
        return null;
    }

    /** The shared name for these bytes, or a new name that reads them in place (no copy). */
    static AsciiString name(byte[] bytes, int start, int length) {
        AsciiString known = find(bytes, start, length);
        return known != null ? known : new AsciiString(bytes, start, length, false);
    }

    /** The same for a response header name. */
    static AsciiString responseName(byte[] bytes, int start, int length) {
        AsciiString known = findResponse(bytes, start, length);
        return known != null ? known : new AsciiString(bytes, start, length, false);
    }

    private static boolean sameBytes(byte[] a, int aStart, byte[] b, int bStart, int length) {
        for (int i = 0; i < length; i++) {
            if (a[aStart + i] != b[bStart + i]) {
                return false;
            }
        }
        return true;
    }
}
