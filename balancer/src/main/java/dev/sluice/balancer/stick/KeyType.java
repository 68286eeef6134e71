package dev.sluice.balancer.stick;

/** The {@code type} of a stick table's keys. */
public enum KeyType {
    IP("ip"),
    IPV6("ipv6"),
    INTEGER("integer"),
    STRING("string");

    /** HAProxy's default {@code len} for string keys. */
    public static final int DEFAULT_STRING_LENGTH = 32;

    private final String keyword;

    KeyType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /** The type called {@code keyword} ({@code ipv4} is HAProxy's alias of {@code ip}), or null. */
    public static KeyType byKeyword(String keyword) {
        return switch (keyword) {
            case "ip", "ipv4" -> IP;
            case "ipv6" -> IPV6;
            case "integer" -> INTEGER;
            case "string" -> STRING;
            default -> null;
        };
    }
}
