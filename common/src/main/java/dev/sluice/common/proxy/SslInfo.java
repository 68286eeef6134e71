package dev.sluice.common.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The value of the {@code PP2_TYPE_SSL} TLV (spec 2.2.6): the client bits, the verification result
 * and the sub-TLVs for the TLS version, client certificate CN, cipher, signature and key
 * algorithms. Absent sub-TLVs are {@code null}.
 *
 * @param client bit field: {@link #CLIENT_SSL}, {@link #CLIENT_CERT_CONN}, {@link #CLIENT_CERT_SESS}
 * @param verify 0 when the client presented a certificate that verified, non-zero otherwise
 */
public record SslInfo(int client, int verify, String version, String cn, String cipher, String sigAlg, String keyAlg) {
    /** The client connected over TLS. */
    public static final int CLIENT_SSL = 0x01;
    /** The client presented a certificate on this connection. */
    public static final int CLIENT_CERT_CONN = 0x02;
    /** The client presented a certificate at least once in this TLS session. */
    public static final int CLIENT_CERT_SESS = 0x04;

    public static final int SUBTYPE_VERSION = 0x21;
    public static final int SUBTYPE_CN = 0x22;
    public static final int SUBTYPE_CIPHER = 0x23;
    public static final int SUBTYPE_SIG_ALG = 0x24;
    public static final int SUBTYPE_KEY_ALG = 0x25;

    /** One byte of client bits and a 32-bit verify result precede the sub-TLVs. */
    static final int FIXED_BYTES = 5;
    private static final int SUB_TLV_HEADER_BYTES = 3;

    public SslInfo {
        if (client < 0 || client > 0xFF) {
            throw new IllegalArgumentException("client: " + client + " (expected: 0-255)");
        }
    }

    /** A TLS client connection without a client certificate. */
    public static SslInfo of(String version, String cipher) {
        return new SslInfo(CLIENT_SSL, 1, version, null, cipher, null, null);
    }

    public boolean ssl() {
        return (client & CLIENT_SSL) != 0;
    }

    /** True when the client presented a certificate and it verified. */
    public boolean verified() {
        return (client & (CLIENT_CERT_CONN | CLIENT_CERT_SESS)) != 0 && verify == 0;
    }

    /**
     * Parses an SSL TLV value; throws {@link ProxyRefusedException} with {@link ProxyRefusal#BAD_TLV}
     * when it is shorter than its fixed part or a sub-TLV does not fit exactly.
     */
    static SslInfo parse(byte[] value) {
        if (value.length < FIXED_BYTES) {
            throw ProxyRefusedException.of(ProxyRefusal.BAD_TLV);
        }
        int client = value[0] & 0xFF;
        int verify = (value[1] & 0xFF) << 24 | (value[2] & 0xFF) << 16 | (value[3] & 0xFF) << 8 | (value[4] & 0xFF);
        String version = null, cn = null, cipher = null, sigAlg = null, keyAlg = null;
        int at = FIXED_BYTES;
        while (at < value.length) {
            if (value.length - at < SUB_TLV_HEADER_BYTES) {
                throw ProxyRefusedException.of(ProxyRefusal.BAD_TLV);
            }
            int type = value[at] & 0xFF;
            int length = (value[at + 1] & 0xFF) << 8 | (value[at + 2] & 0xFF);
            at += SUB_TLV_HEADER_BYTES;
            if (length > value.length - at) {
                throw ProxyRefusedException.of(ProxyRefusal.BAD_TLV);
            }
            String text = new String(value, at, length, StandardCharsets.UTF_8);
            switch (type) {
                case SUBTYPE_VERSION -> version = text;
                case SUBTYPE_CN -> cn = text;
                case SUBTYPE_CIPHER -> cipher = text;
                case SUBTYPE_SIG_ALG -> sigAlg = text;
                case SUBTYPE_KEY_ALG -> keyAlg = text;
                default -> {
                    // an unknown sub-TLV is well-formed; we have no field for it
                }
            }
            at += length;
        }
        return new SslInfo(client, verify, version, cn, cipher, sigAlg, keyAlg);
    }

    /** The TLV value: fixed part, then each present sub-TLV in type order. */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(client);
        out.write(verify >>> 24);
        out.write(verify >>> 16);
        out.write(verify >>> 8);
        out.write(verify);
        writeSub(out, SUBTYPE_VERSION, version);
        writeSub(out, SUBTYPE_CN, cn);
        writeSub(out, SUBTYPE_CIPHER, cipher);
        writeSub(out, SUBTYPE_SIG_ALG, sigAlg);
        writeSub(out, SUBTYPE_KEY_ALG, keyAlg);
        return out.toByteArray();
    }

    private static void writeSub(ByteArrayOutputStream out, int type, String text) {
        if (text == null) {
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(type);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }
}
