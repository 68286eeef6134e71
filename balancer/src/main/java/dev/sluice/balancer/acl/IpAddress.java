package dev.sluice.balancer.acl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address as two longs, so that matching compares numbers instead of byte arrays.
 * IPv4 addresses are held in their IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}) with {@link #v4()}
 * set, which is exactly the conversion HAProxy applies when an IPv4 sample meets an IPv6 pattern.
 * The engine builds one per connection (from the socket or the PROXY header), not one per request.
 */
public record IpAddress(long hi, long lo, boolean v4) {

    private static final long V4_MAPPED_PREFIX = 0xffffL << 32;

    public IpAddress {
        if (v4 && (hi != 0 || (lo & 0xffff_ffff_0000_0000L) != V4_MAPPED_PREFIX)) {
            throw new IllegalArgumentException("v4: set on a non IPv4-mapped value");
        }
    }

    public static IpAddress ofV4(int address) {
        return new IpAddress(0, V4_MAPPED_PREFIX | (address & 0xffff_ffffL), true);
    }

    public static IpAddress ofV6(long hi, long lo) {
        return new IpAddress(hi, lo, false);
    }

    public static IpAddress of(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofV4(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        }
        if (address instanceof Inet6Address) {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (b[i] & 0xff);
                lo = (lo << 8) | (b[i + 8] & 0xff);
            }
            return ofV6(hi, lo);
        }
        throw new IllegalArgumentException("address: " + address + " (expected: IPv4 or IPv6)");
    }

    /** The IPv4 address as an unsigned 32-bit value; only meaningful when {@link #v4()}. */
    public int v4Bits() {
        return (int) lo;
    }

    /**
     * The IPv4 address embedded in an IPv6 one as HAProxy sees it when an IPv6 sample meets an IPv4
     * pattern ({@code ::ffff:V4}, {@code ::V4} or {@code 2002:V4::}), as an unsigned value, or -1.
     */
    public long embeddedV4() {
        if (v4) {
            return lo & 0xffff_ffffL;
        }
        if (hi == 0 && ((lo >>> 32) == 0xffff || (lo >>> 32) == 0)) {
            return lo & 0xffff_ffffL;
        }
        if ((hi >>> 48) == 0x2002 && (hi & 0xffff) == 0 && lo == 0) {
            return (hi >>> 16) & 0xffff_ffffL;
        }
        return -1;
    }

    /**
     * This address as IPv4 when it is one, or when it is an IPv6 address that carries one in the forms
     * HAProxy converts to IPv4 ({@code ::ffff:V4} and 6to4 {@code 2002:V4::}); otherwise null. The
     * {@code ipmask} converter masks such addresses as IPv4, as haproxy 2.6 does.
     */
    public IpAddress asV4() {
        if (v4) {
            return this;
        }
        boolean mapped = hi == 0 && (lo >>> 32) == 0xffff;
        boolean sixToFour = (hi >>> 48) == 0x2002 && (hi & 0xffff) == 0 && lo == 0;
        return mapped || sixToFour ? ofV4((int) embeddedV4()) : null;
    }

    /**
     * Parses a textual address: dotted IPv4 or IPv6 (with an embedded dotted quad allowed).
     * Returns null when the text is not an address; never resolves names.
     */
    public static IpAddress parse(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == ':') {
                return parseV6(s, from, to);
            }
        }
        long v4 = parseDottedQuad(s, from, to);
        return v4 < 0 ? null : ofV4((int) v4);
    }

    public static IpAddress parse(CharSequence s) {
        return parse(s, 0, s.length());
    }

    /** A strict a.b.c.d, as an unsigned value, or -1. */
    static long parseDottedQuad(CharSequence s, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int part = 0;
            while (i < to && i - start < 3 && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                part = part * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || part > 255) {
                return -1;
            }
            value = (value << 8) | part;
            parts++;
            if (parts < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? value : -1;
    }

    private static IpAddress parseV6(CharSequence s, int from, int to) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = from;
        if (to - from >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
            if (i == to) {
                return ofV6(0, 0);
            }
        } else if (i < to && s.charAt(i) == ':') {
            return null;
        }
        while (i < to) {
            int start = i;
            int group = 0;
            while (i < to && i - start < 4 && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                group = (group << 4) | Character.digit(s.charAt(i), 16);
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                long v4 = parseDottedQuad(s, start, to);
                if (v4 < 0 || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                i = to;
                break;
            }
            if (i == start || count == 8) {
                return null;
            }
            groups[count++] = group;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return null;
            }
        }
        if (gap < 0 && count != 8 || gap >= 0 && count > 7) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        return ofV6(hi, lo);
    }

    /** This address with all bits past the prefix cleared (the prefix counts IPv4 bits for v4). */
    public IpAddress mask(int prefix) {
        if (v4) {
            int bits = prefix == 0 ? 0 : (int) (0xffff_ffffL << (32 - prefix));
            return ofV4(v4Bits() & bits);
        }
        return ofV6(hi & highMask(prefix), lo & lowMask(prefix));
    }

    static long highMask(int prefix) {
        return prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    }

    static long lowMask(int prefix) {
        return prefix <= 64 ? 0 : prefix >= 128 ? -1L : -1L << (128 - prefix);
    }

    @Override
    public String toString() {
        if (v4) {
            int a = v4Bits();
            return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
        }
        if (hi == 0 && (lo >>> 32) == 0xffff) {
            // RFC 5952 section 5 and inet_ntop: an IPv4-mapped address ends in dotted decimal.
            return "::ffff:" + ofV4((int) lo);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }
}
