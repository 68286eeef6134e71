package dev.sluice.common.proxy;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.0.0/8} or {@code ::1/128}; a bare
 * address is a host route. Parsing takes numeric addresses only (no DNS) and, like HAProxy, ignores
 * host bits past the prefix. An IPv4 network also matches IPv4-mapped IPv6 peers.
 */
public record Cidr(byte[] network, int prefixLength) {
    public Cidr {
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network: " + network.length + " bytes (expected: 4 or 16)");
        }
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix length: " + prefixLength + " (expected: 0-" + network.length * 8 + ")");
        }
        network = mask(network.clone(), prefixLength);
    }

    /** Parses {@code address[/prefix]}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null || address.indexOf('%') >= 0 || address.startsWith("[")) {
            throw new IllegalArgumentException("network: " + text + " (expected: a numeric IPv4 or IPv6 address, optionally /prefix)");
        }
        if (bytes.length == 16 && address.indexOf(':') < 0) {
            throw new IllegalArgumentException("network: " + text + " (expected: a numeric IPv4 or IPv6 address, optionally /prefix)");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("prefix length: " + digits + " in " + text + " (expected: 0-" + prefix + ")");
            }
            prefix = Integer.parseInt(digits);
        }
        return new Cidr(bytes, prefix);
    }

    public boolean matches(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (network.length == 4 && address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        } else if (network.length == 16 && address instanceof Inet4Address) {
            return false;
        }
        if (bytes.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(bytes, prefixLength), network);
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
    }

    private static byte[] mask(byte[] bytes, int prefixLength) {
        for (int i = 0; i < bytes.length; i++) {
            int bits = Math.clamp(prefixLength - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xFF00 >>> bits);
        }
        return bytes;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && prefixLength == that.prefixLength && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return NetUtil.toAddressString(InetAddress.getByAddress(network)) + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
