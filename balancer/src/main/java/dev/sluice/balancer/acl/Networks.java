package dev.sluice.balancer.acl;

/**
 * Network patterns as HAProxy writes them: an IPv4 address in full or abbreviated form
 * ({@code 10.12} is 10.0.0.12, {@code 192.168.1} is 192.168.0.1) with an optional {@code /bits} or
 * dotted {@code /255.255.0.0} mask, or an IPv6 address with an optional {@code /bits}.
 */
final class Networks {

    record Network(IpAddress address, int prefix) {
    }

    private Networks() {
    }

    /** The network, or null when the text is not one. */
    static Network parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        String mask = slash < 0 ? null : text.substring(slash + 1);
        if (address.indexOf(':') >= 0) {
            IpAddress a = IpAddress.parse(address);
            if (a == null || a.v4()) {
                return null;
            }
            int prefix = mask == null ? 128 : bits(mask, 128);
            return prefix < 0 ? null : new Network(a, prefix);
        }
        long v4 = abbreviatedV4(address);
        if (v4 < 0) {
            return null;
        }
        int prefix = 32;
        if (mask != null) {
            if (mask.indexOf('.') >= 0) {
                long m = IpAddress.parseDottedQuad(mask, 0, mask.length());
                prefix = m < 0 ? -1 : contiguousPrefix(m);
                if (m >= 0 && prefix < 0) {
                    throw AclException.unsupported("'" + text + "' has a non-contiguous netmask, which Sluice does not"
                            + " match (write the networks it covers as prefixes)");
                }
            } else {
                prefix = bits(mask, 32);
            }
        }
        return prefix < 0 ? null : new Network(IpAddress.ofV4((int) v4), prefix);
    }

    /** A 32-bit netmask with its ones first, as a prefix length, or -1. */
    static int contiguousPrefix(long mask) {
        int ones = Integer.numberOfLeadingZeros(~(int) mask);
        long expected = ones == 0 ? 0 : (0xffff_ffffL << (32 - ones)) & 0xffff_ffffL;
        return expected == mask ? ones : -1;
    }

    private static int bits(String mask, int max) {
        if (mask.isEmpty() || mask.length() > 3 || !Text.allDigits(mask, 0, mask.length())) {
            return -1;
        }
        int value = Integer.parseInt(mask);
        return value <= max ? value : -1;
    }

    /** 1 to 4 dotted decimal parts; the last part fills the remaining bytes. -1 when invalid. */
    static long abbreviatedV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !Text.allDigits(p, 0, p.length())) {
                return -1;
            }
            int part = Integer.parseInt(p);
            if (part > 255) {
                return -1;
            }
            if (i == parts.length - 1) {
                value = (value << (8 * (4 - i))) | part;
            } else {
                value = (value << 8) | part;
            }
        }
        return parts.length == 1 ? -1 : value & 0xffff_ffffL;
    }

    /** Whether a refused pattern looks like a host name rather than a malformed address. */
    static boolean looksLikeHostName(String text) {
        if (text.isEmpty() || text.indexOf('/') >= 0 || text.indexOf(':') >= 0) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c) && c < 128) {
                letter = true;
            } else if (!(c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return letter;
    }
}
