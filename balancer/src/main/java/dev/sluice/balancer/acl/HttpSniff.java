package dev.sluice.balancer.acl;

/**
 * Whether a connection's first bytes are an HTTP/1 request head, for {@code req.proto_http} during
 * TCP content inspection: a request line {@code METHOD SP TARGET SP HTTP/d.d}, header lines
 * {@code name: value}, and the empty line that ends the head, each ended by CRLF (or LF). HAProxy
 * answers only once the head is complete or broken; so does this.
 */
final class HttpSniff {
    static final int COMPLETE = 1;
    static final int INCOMPLETE = 0;
    static final int INVALID = -1;

    private HttpSniff() {
    }

    static int sniff(Payload payload) {
        int n = payload.length();
        int p = 0;
        int start = p;
        while (p < n && isToken(payload.at(p))) {
            p++;
        }
        if (p == n) {
            return INCOMPLETE;
        }
        if (p == start || payload.at(p) != ' ') {
            return INVALID;
        }
        start = ++p;
        while (p < n && payload.at(p) > ' ' && payload.at(p) < 0x7f) {
            p++;
        }
        if (p == n) {
            return INCOMPLETE;
        }
        if (p == start || payload.at(p) != ' ') {
            return INVALID;
        }
        p++;
        String version = "HTTP/";
        for (int i = 0; i < version.length() + 3; i++, p++) {
            if (p == n) {
                return INCOMPLETE;
            }
            int c = payload.at(p);
            boolean ok = i < version.length() ? c == version.charAt(i) : i == version.length() + 1 ? c == '.'
                    : c >= '0' && c <= '9';
            if (!ok) {
                return INVALID;
            }
        }
        p = lineEnd(payload, p);
        if (p < 0) {
            return p == -1 ? INCOMPLETE : INVALID;
        }
        while (true) {
            if (p == n) {
                return INCOMPLETE;
            }
            int end = lineEnd(payload, p);
            if (end != -2) {
                // the empty line that ends the head
                return end == -1 ? INCOMPLETE : COMPLETE;
            }
            start = p;
            while (p < n && isToken(payload.at(p))) {
                p++;
            }
            if (p == n) {
                return INCOMPLETE;
            }
            if (p == start || payload.at(p) != ':') {
                return INVALID;
            }
            while (p < n && payload.at(p) != '\n') {
                int c = payload.at(p);
                if (c == 0 || (c == '\r' && p + 1 < n && payload.at(p + 1) != '\n')) {
                    return INVALID;
                }
                p++;
            }
            if (p == n) {
                return INCOMPLETE;
            }
            p++;
        }
    }

    /** After an optional CR, the index past the LF at {@code p}; -1 when the bytes end first, -2 when no line ends here. */
    private static int lineEnd(Payload payload, int p) {
        int n = payload.length();
        if (p < n && payload.at(p) == '\r') {
            p++;
        }
        if (p == n) {
            return -1;
        }
        return payload.at(p) == '\n' ? p + 1 : -2;
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isToken(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
