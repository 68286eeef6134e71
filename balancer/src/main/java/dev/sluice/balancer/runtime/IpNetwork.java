package dev.sluice.balancer.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code ::1/128}, as written after
 * {@code option forwardfor except}. An IPv4 block never contains an IPv6 address and vice versa.
 */
public record IpNetwork(InetAddress address, int prefixLength) {

    public IpNetwork {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length: " + prefixLength + " (expected: 0.." + bits + ")");
        }
    }

    /**
     * Parses {@code ADDR[/LEN]} with numeric addresses only (no DNS); a missing length means the
     * whole address. HAProxy's dotted masks ({@code 10.0.0.0/255.0.0.0}) are accepted too.
     */
    public static IpNetwork parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = numeric(host, text);
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new IpNetwork(address, bits);
        }
        String length = text.substring(slash + 1);
        if (length.indexOf('.') >= 0) {
            return new IpNetwork(address, maskLength(numeric(length, text), text));
        }
        try {
            return new IpNetwork(address, Integer.parseInt(length));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("network: " + text + " (expected: ADDR/LEN)");
        }
    }

    /** True if {@code candidate} lies inside this block (same family only). */
    public boolean contains(InetAddress candidate) {
        byte[] net = address.getAddress();
        byte[] other = candidate.getAddress();
        if (net.length != other.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != other[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (net[full] & mask) == (other[full] & mask);
    }

    private static InetAddress numeric(String host, String whole) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean looksNumeric = !bare.isEmpty() && (bare.indexOf(':') >= 0 || bare.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!looksNumeric) {
            throw new IllegalArgumentException("network: " + whole + " (expected: a numeric IPv4 or IPv6 address)");
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("network: " + whole + " (expected: a numeric IPv4 or IPv6 address)", e);
        }
    }

    private static int maskLength(InetAddress mask, String whole) {
        int length = 0;
        boolean ended = false;
        for (byte b : mask.getAddress()) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean set = (b >> bit & 1) == 1;
                if (set && ended) {
                    throw new IllegalArgumentException("network: " + whole + " (expected: a contiguous mask)");
                }
                if (set) {
                    length++;
                } else {
                    ended = true;
                }
            }
        }
        return length;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
