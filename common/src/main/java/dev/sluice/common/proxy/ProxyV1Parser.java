package dev.sluice.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The human-readable v1 line (spec 2.1), parsed strictly: {@code PROXY TCP4|TCP6 SRC DST SPORT
 * DPORT\r\n} with single spaces, canonical addresses of the announced family, decimal ports without
 * leading zeros, at most 107 bytes; or {@code PROXY UNKNOWN} followed by anything up to the CRLF.
 */
final class ProxyV1Parser {
    private static final int PREFIX_BYTES = ProxyHeaderParser.V1_PREFIX.length;
    private static final int MAX_PORT = 0xFFFF;
    private static final int MAX_PORT_DIGITS = 5;

    private ProxyV1Parser() {
    }

    static ProxyHeader parse(ByteBuf in) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        int lf = in.indexOf(start, start + Math.min(available, ProxyHeaderParser.V1_MAX_BYTES), (byte) '\n');
        if (lf < 0) {
            if (available >= ProxyHeaderParser.V1_MAX_BYTES) {
                throw ProxyRefusedException.of(ProxyRefusal.TOO_LONG);
            }
            return null;
        }
        int end = lf - 1;
        if (end < start + PREFIX_BYTES || in.getByte(end) != '\r') {
            throw bad();
        }
        int at = start + PREFIX_BYTES;
        int protoEnd = tokenEnd(in, at, end);
        String proto = in.toString(at, protoEnd - at, StandardCharsets.US_ASCII);
        ProxyHeader header;
        switch (proto) {
            case "UNKNOWN" -> header = ProxyHeader.unknown();  // spec: ignore anything up to the CRLF
            case "TCP4", "TCP6" -> header = parseTcp(in, protoEnd, end, proto.equals("TCP4"));
            default -> throw bad();
        }
        in.readerIndex(lf + 1);
        return header;
    }

    private static ProxyHeader parseTcp(ByteBuf in, int at, int end, boolean v4) {
        int srcEnd = field(in, at, end);
        InetAddress src = address(in, at + 1, srcEnd, v4);
        int dstEnd = field(in, srcEnd, end);
        InetAddress dst = address(in, srcEnd + 1, dstEnd, v4);
        int sportEnd = field(in, dstEnd, end);
        int sport = port(in, dstEnd + 1, sportEnd);
        int dportEnd = field(in, sportEnd, end);
        int dport = port(in, sportEnd + 1, dportEnd);
        if (dportEnd != end) {
            throw bad();
        }
        return new ProxyHeader(ProxyHeader.Command.PROXY, v4 ? ProxyHeader.Family.INET : ProxyHeader.Family.INET6,
                ProxyHeader.Transport.STREAM, new InetSocketAddress(src, sport), new InetSocketAddress(dst, dport), List.of());
    }

    /** Expects one space at {@code at} and a non-empty token after it; returns the token's end. */
    private static int field(ByteBuf in, int at, int end) {
        if (at >= end || in.getByte(at) != ' ') {
            throw bad();
        }
        int tokenEnd = tokenEnd(in, at + 1, end);
        if (tokenEnd == at + 1) {
            throw bad();
        }
        return tokenEnd;
    }

    private static int tokenEnd(ByteBuf in, int at, int end) {
        int space = in.indexOf(at, end, (byte) ' ');
        return space < 0 ? end : space;
    }

    private static InetAddress address(ByteBuf in, int from, int to, boolean v4) {
        String text = in.toString(from, to - from, StandardCharsets.US_ASCII);
        try {
            if (v4) {
                byte[] octets = ipv4(text);
                if (octets != null) {
                    return Inet4Address.getByAddress(octets);
                }
            } else if (text.indexOf(':') >= 0 && ipv6Characters(text)) {
                byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
                if (bytes != null && bytes.length == 16) {
                    // keeps IPv4-mapped addresses as IPv6, as announced by TCP6
                    return Inet6Address.getByAddress(null, bytes, -1);
                }
            }
        } catch (UnknownHostException e) {
            throw bad();
        }
        throw bad();
    }

    /** Spec 2.1: four decimal numbers 0–255 with single dots, no leading zeros (octal confusion). */
    private static byte[] ipv4(String text) {
        byte[] octets = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                octets[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return null;
                }
                value = (digits == 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? octets : null;
    }

    /** Hex digits, colons and dots only: no brackets, zone ids or host names. */
    private static boolean ipv6Characters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Spec 2.1: a decimal port 0–65535 without leading zeros. */
    private static int port(ByteBuf in, int from, int to) {
        int length = to - from;
        if (length > MAX_PORT_DIGITS || (length > 1 && in.getByte(from) == '0')) {
            throw bad();
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            byte c = in.getByte(i);
            if (c < '0' || c > '9') {
                throw bad();
            }
            value = value * 10 + (c - '0');
        }
        if (value > MAX_PORT) {
            throw bad();
        }
        return value;
    }

    private static ProxyRefusedException bad() {
        return ProxyRefusedException.of(ProxyRefusal.BAD_V1);
    }
}
