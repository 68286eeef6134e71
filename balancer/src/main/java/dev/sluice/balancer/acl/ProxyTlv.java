package dev.sluice.balancer.acl;

import java.util.Locale;
import java.util.Map;

/** PROXY protocol v2 TLV types (proxy-protocol.txt section 2.2) and the names {@code fc_pp_tlv} accepts. */
final class ProxyTlv {

    static final int ALPN = 0x01;
    static final int AUTHORITY = 0x02;
    static final int CRC32C = 0x03;
    static final int NOOP = 0x04;
    static final int UNIQUE_ID = 0x05;
    static final int SSL = 0x20;
    static final int NETNS = 0x30;

    private static final Map<String, Integer> NAMES = Map.of("ALPN", ALPN, "AUTHORITY", AUTHORITY, "CRC32C", CRC32C,
            "NOOP", NOOP, "UNIQUE_ID", UNIQUE_ID, "SSL", SSL, "NETNS", NETNS);

    private ProxyTlv() {
    }

    /** A type given as a name, a decimal number or 0xHH, in 0–255; -1 when invalid. */
    static int parse(String id) {
        Integer named = NAMES.get(id.toUpperCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        try {
            int value = id.startsWith("0x") || id.startsWith("0X") ? Integer.parseInt(id.substring(2), 16)
                    : Integer.parseInt(id);
            return value >= 0 && value <= 255 ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
