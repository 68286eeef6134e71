package dev.sluice.balancer.acl;

/**
 * {@code url_ip} and {@code url_port}: the IPv4 address and port of an absolute {@code http://}
 * request URI whose host is written as an IPv4 address, as HAProxy 2.6 reads them (a proxy's
 * request line, e.g. {@code GET http://192.0.2.7:8080/x}). Without a port the port is 80. Any
 * other URI (relative, another scheme, a host name, an IPv6 literal) gives no sample.
 */
final class UrlAddress {

    /** No sample. */
    static final long NONE = -1;

    private static final String SCHEME = "http://";
    private static final int DEFAULT_PORT = 80;
    private static final int MAX_PORT = 65_535;

    private UrlAddress() {
    }

    /** The address as an unsigned 32-bit value, or {@link #NONE}. */
    static long ipv4(CharSequence uri) {
        int start = hostStart(uri);
        return start < 0 ? NONE : parseIpv4(uri, start, hostEnd(uri, start));
    }

    /** The port (80 when absent), or {@link #NONE} when the host is not an IPv4 address. */
    static long port(CharSequence uri) {
        int start = hostStart(uri);
        if (start < 0) {
            return NONE;
        }
        int end = hostEnd(uri, start);
        if (parseIpv4(uri, start, end) == NONE) {
            return NONE;
        }
        if (end >= uri.length() || uri.charAt(end) != ':') {
            return DEFAULT_PORT;
        }
        long port = 0;
        int i = end + 1;
        // Digits up to the first other character, as HAProxy's read_uint; an empty port reads as 0.
        for (; i < uri.length() && Character.isDigit(uri.charAt(i)) && port <= MAX_PORT; i++) {
            port = port * 10 + (uri.charAt(i) - '0');
        }
        return port > MAX_PORT ? NONE : port;
    }

    private static int hostStart(CharSequence uri) {
        if (uri == null || uri.length() <= SCHEME.length()) {
            return -1;
        }
        for (int i = 0; i < SCHEME.length(); i++) {
            if (Character.toLowerCase(uri.charAt(i)) != SCHEME.charAt(i)) {
                return -1;
            }
        }
        return SCHEME.length();
    }

    private static int hostEnd(CharSequence uri, int start) {
        int i = start;
        while (i < uri.length() && uri.charAt(i) != ':' && uri.charAt(i) != '/' && uri.charAt(i) != '?') {
            i++;
        }
        return i;
    }

    /** Four dot-separated decimal octets filling [start, end), or {@link #NONE}. */
    private static long parseIpv4(CharSequence text, int start, int end) {
        long address = 0;
        int octets = 0;
        int i = start;
        while (octets < 4) {
            int value = 0;
            int digits = 0;
            while (i < end && Character.isDigit(text.charAt(i)) && digits < 3) {
                value = value * 10 + (text.charAt(i++) - '0');
                digits++;
            }
            if (digits == 0 || value > 255) {
                return NONE;
            }
            address = (address << 8) | value;
            octets++;
            if (octets < 4) {
                if (i >= end || text.charAt(i) != '.') {
                    return NONE;
                }
                i++;
            }
        }
        return i == end ? address : NONE;
    }
}
