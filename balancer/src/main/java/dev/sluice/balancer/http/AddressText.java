package dev.sluice.balancer.http;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Writes an address as HAProxy (inet_ntop) does: dotted IPv4, and IPv6 in its RFC 5952 form —
 * lower-case hex without leading zeros, the longest run of two or more zero groups as "::",
 * IPv4-mapped addresses as "::ffff:a.b.c.d" — where Java's {@link InetAddress#getHostAddress()} would spell out every group.
 */
final class AddressText {
    private static final int GROUPS = 8;

    private AddressText() {
    }

    static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[GROUPS];
        for (int i = 0; i < GROUPS; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < GROUPS; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < GROUPS && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(45);
        if (bestStart == 0 && (bestLength == 6 || (bestLength == 5 && groups[5] == 0xffff))) {
            // IPv4-compatible and IPv4-mapped addresses end in dotted form, as inet_ntop writes them.
            text.append(bestLength == 5 ? "::ffff:" : "::");
            return text.append(bytes[12] & 0xff).append('.').append(bytes[13] & 0xff).append('.')
                    .append(bytes[14] & 0xff).append('.').append(bytes[15] & 0xff).toString();
        }
        for (int i = 0; i < GROUPS; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
