package dev.sluice.balancer.acl;

/**
 * The {@code Cookie: NAME=VALUE} line of an RDP connection request (MS-RDPBCGR §2.2.1.1: a TPKT
 * header and an X.224 connection request, 11 bytes, then the cookie line ended by CRLF), for
 * {@code req.rdp_cookie} and {@code req.rdp_cookie_cnt}. Reads only the bytes it has: "not yet"
 * while the line has not fully arrived.
 */
final class RdpCookie {
    /** TPKT (4) and the fixed X.224 connection request fields (7) before the cookie. */
    static final int COOKIE_OFFSET = 11;
    private static final String PREFIX = "Cookie:";
    static final long NOT_YET = -1;
    static final long NONE = -2;

    private RdpCookie() {
    }

    /**
     * The cookie value of {@code name} (any name when empty) as {@code from << 32 | to} offsets in the
     * payload, {@link #NOT_YET} or {@link #NONE}.
     */
    static long find(Payload p, String name) {
        int n = p.length();
        int i = COOKIE_OFFSET;
        if (n <= i + PREFIX.length()) {
            return NOT_YET;
        }
        for (int k = 0; k < PREFIX.length(); k++) {
            if (Text.fold((char) p.at(i + k)) != Text.fold(PREFIX.charAt(k))) {
                return NONE;
            }
        }
        i += PREFIX.length();
        while (i < n && p.at(i) == ' ') {
            i++;
        }
        if (!name.isEmpty()) {
            if (n - i <= name.length()) {
                return NOT_YET;
            }
            for (int k = 0; k < name.length(); k++) {
                if (Text.fold((char) p.at(i + k)) != Text.fold(name.charAt(k))) {
                    return NONE;
                }
            }
            if (p.at(i + name.length()) != '=') {
                return NONE;
            }
            i += name.length() + 1;
        } else {
            while (i < n && p.at(i) != '=') {
                if (p.at(i) == '\r' || p.at(i) == '\n') {
                    return NONE;
                }
                i++;
            }
            if (i == n) {
                return NOT_YET;
            }
            i++;
        }
        int from = i;
        while (i < n && p.at(i) != '\r') {
            i++;
        }
        if (n - i < 2) {
            return NOT_YET;
        }
        if (p.at(i + 1) != '\n') {
            return NONE;
        }
        return (long) from << 32 | i;
    }
}
