package dev.sluice.common.proxy;

/**
 * Why a connection's PROXY header was refused. Each refusal closes that one connection and is
 * counted in {@link ProxyCounters}; the code is short enough for logs and stats columns.
 * Section numbers refer to HAProxy's doc/proxy-protocol.txt.
 */
public enum ProxyRefusal {
    NOT_PROXY("not_proxy", "the connection did not start with a PROXY v1 or v2 signature"),
    BAD_V1("bad_v1", "the v1 line is malformed (fields, separators, addresses or ports; spec 2.1)"),
    BAD_SIGNATURE("bad_sig", "the first bytes begin but do not complete the 12-byte v2 signature"),
    BAD_VERSION("bad_version", "the v2 version nibble is not 2"),
    BAD_COMMAND("bad_command", "the v2 command nibble is neither LOCAL (0) nor PROXY (1)"),
    BAD_FAMILY("bad_family", "the v2 address family and transport byte is not one the spec defines"),
    BAD_LENGTH("bad_length", "the v2 length is shorter than the address block of its family"),
    TOO_LONG("too_long", "the header is longer than this listener accepts (v1: 107 bytes)"),
    BAD_TLV("bad_tlv", "a v2 TLV does not fit the header or its value is malformed"),
    BAD_CRC("bad_crc", "the v2 CRC32C TLV does not match the header"),
    TIMEOUT("timeout", "the header was not complete before the deadline"),
    TRUNCATED("truncated", "the peer closed the connection in the middle of the header"),
    UNTRUSTED_SOURCE("untrusted", "the peer is not in the trusted source list for PROXY headers");

    private final String code;
    private final String sentence;

    ProxyRefusal(String code, String sentence) {
        this.code = code;
        this.sentence = sentence;
    }

    /** A short stable name for logs and counters. */
    public String code() {
        return code;
    }

    /** What went wrong, for operators. */
    public String sentence() {
        return sentence;
    }
}
