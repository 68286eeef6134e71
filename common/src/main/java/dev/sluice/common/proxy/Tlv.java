package dev.sluice.common.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One PROXY v2 type-length-value entry, kept as raw bytes: the type byte and its value. Typed views
 * ({@link ProxyHeader#alpn()}, {@link ProxyHeader#ssl()}…) read these bytes; custom types
 * ({@code 0xE0–0xEF}) and anything we do not interpret stay available as they arrived.
 *
 * <p>The value array is copied in and never handed out, so a {@code Tlv} is immutable.
 */
public final class Tlv {
    /** Application-Layer Protocol Negotiation identifier, e.g. {@code h2} (spec 2.2.1). */
    public static final int ALPN = 0x01;
    /** The host name the client asked for, e.g. from TLS SNI (spec 2.2.2). */
    public static final int AUTHORITY = 0x02;
    /** CRC32c of the whole header; computed by the encoder on request and verified (spec 2.2.3). */
    public static final int CRC32C = 0x03;
    /** Padding, ignored by receivers (spec 2.2.4). */
    public static final int NOOP = 0x04;
    /** An opaque connection identifier of up to {@link #MAX_UNIQUE_ID_BYTES} bytes (spec 2.2.5). */
    public static final int UNIQUE_ID = 0x05;
    /** TLS facts about the client connection, with sub-TLVs (spec 2.2.6). */
    public static final int SSL = 0x20;
    /** Network namespace name (spec 2.2.7). */
    public static final int NETNS = 0x30;
    /** First and last type reserved for application-specific data (spec 2.2.8). */
    public static final int CUSTOM_MIN = 0xE0;
    public static final int CUSTOM_MAX = 0xEF;

    /** Spec 2.2.5: "The value is ... up to 128 bytes". */
    public static final int MAX_UNIQUE_ID_BYTES = 128;
    /** The length field is 16 bits. */
    public static final int MAX_VALUE_BYTES = 0xFFFF;

    private final int type;
    private final byte[] value;

    private Tlv(int type, byte[] value, boolean copy) {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("type: " + type + " (expected: 0-255)");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("value: " + value.length + " bytes (expected: at most " + MAX_VALUE_BYTES + ")");
        }
        if (type == UNIQUE_ID && value.length > MAX_UNIQUE_ID_BYTES) {
            throw new IllegalArgumentException("unique id: " + value.length + " bytes (expected: at most " + MAX_UNIQUE_ID_BYTES + ")");
        }
        this.type = type;
        this.value = copy ? value.clone() : value;
    }

    /** A TLV of any type with a copy of {@code value}. */
    public static Tlv of(int type, byte[] value) {
        return new Tlv(type, value, true);
    }

    /** For decoders that just made {@code value} and hand it over. */
    static Tlv owning(int type, byte[] value) {
        return new Tlv(type, value, false);
    }

    public static Tlv alpn(String protocol) {
        return owning(ALPN, protocol.getBytes(StandardCharsets.US_ASCII));
    }

    public static Tlv authority(String host) {
        return owning(AUTHORITY, host.getBytes(StandardCharsets.UTF_8));
    }

    public static Tlv uniqueId(byte[] id) {
        return of(UNIQUE_ID, id);
    }

    public static Tlv netns(String namespace) {
        return owning(NETNS, namespace.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code length} bytes of padding. */
    public static Tlv noop(int length) {
        return owning(NOOP, new byte[length]);
    }

    public static Tlv ssl(SslInfo ssl) {
        return owning(SSL, ssl.toBytes());
    }

    public int type() {
        return type;
    }

    public int length() {
        return value.length;
    }

    /** A copy of the value. */
    public byte[] value() {
        return value.clone();
    }

    /** The value without copying, for encoders in this package. */
    byte[] valueUnsafe() {
        return value;
    }

    String valueAsString() {
        return new String(value, type == AUTHORITY ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tlv that && type == that.type && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("Tlv[0x%02X, %s]", type, HexFormat.of().formatHex(value));
    }
}
