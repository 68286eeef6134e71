package dev.sluice.terminator.tls;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * What certificate selection needs from a ClientHello (RFC 8446, 4.1.2): the server name, whether
 * the client offers TLS 1.3, which ECDSA signature schemes it accepts and whether it offers an
 * ECDSA cipher suite for TLS 1.2. Parsed without copying the message.
 *
 * @param serverName       the host_name from server_name, or null
 * @param offersTls13      supported_versions lists 0x0304
 * @param ecdsaSchemes     bit set of {@link #P256}, {@link #P384}, {@link #P521} (TLS 1.3 schemes)
 * @param anyEcdsaSigalg   signature_algorithms lists any ECDSA scheme, or is absent (TLS 1.2
 *                         then defaults to SHA-1 with the suite's algorithm, RFC 5246 7.4.1.4.1)
 * @param offersEcdsaSuite one of the TLS 1.2 ECDHE_ECDSA suites we enable is offered
 */
public record ClientHelloFacts(String serverName, boolean offersTls13, int ecdsaSchemes, boolean anyEcdsaSigalg,
        boolean offersEcdsaSuite) {
    public static final int P256 = 1;
    public static final int P384 = 2;
    public static final int P521 = 4;

    private static final int RANDOM_AND_VERSION = 2 + 32;
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_SIGNATURE_ALGORITHMS = 13;
    private static final int EXT_SUPPORTED_VERSIONS = 43;
    private static final int HOST_NAME = 0;
    private static final int TLS13 = 0x0304;
    /** The low byte of every ECDSA signature scheme is 0x03 (RFC 8446, 4.2.3; RFC 5246, 7.4.1.4.1). */
    private static final int ECDSA_SIGNATURE = 0x03;
    /** server_name's host_name is a DNS name: at most 255 bytes (RFC 6066, 3). */
    private static final int MAX_HOST_NAME = 255;

    /** A suite predicate over 16-bit cipher suite codes. */
    @FunctionalInterface
    public interface SuiteSet {
        boolean contains(int code);
    }

    /**
     * Parses a ClientHello body (from client_version on, without the handshake header);
     * null when it is malformed (the TLS engine then refuses it with the right alert).
     */
    public static ClientHelloFacts parse(ByteBuf hello, SuiteSet ecdsaSuites) {
        if (hello == null) {
            return null;
        }
        int at = hello.readerIndex() + RANDOM_AND_VERSION;
        int end = hello.writerIndex();
        if (at + 1 > end) {
            return null;
        }
        at += 1 + hello.getUnsignedByte(at);
        if (at + 2 > end) {
            return null;
        }
        int suitesLength = hello.getUnsignedShort(at);
        at += 2;
        if (at + suitesLength > end) {
            return null;
        }
        boolean ecdsaSuite = false;
        for (int i = at; i + 1 < at + suitesLength; i += 2) {
            if (ecdsaSuites.contains(hello.getUnsignedShort(i))) {
                ecdsaSuite = true;
                break;
            }
        }
        at += suitesLength;
        if (at + 1 > end) {
            return null;
        }
        at += 1 + hello.getUnsignedByte(at);
        String serverName = null;
        boolean tls13 = false;
        int schemes = 0;
        boolean sigalgsSeen = false;
        boolean anyEcdsa = false;
        if (at + 2 <= end) {
            int extensionsEnd = at + 2 + hello.getUnsignedShort(at);
            at += 2;
            if (extensionsEnd > end) {
                return null;
            }
            while (at + 4 <= extensionsEnd) {
                int type = hello.getUnsignedShort(at);
                int length = hello.getUnsignedShort(at + 2);
                int data = at + 4;
                at = data + length;
                if (at > extensionsEnd) {
                    return null;
                }
                switch (type) {
                    case EXT_SERVER_NAME -> serverName = serverName(hello, data, at);
                    case EXT_SUPPORTED_VERSIONS -> tls13 = listsTls13(hello, data, at);
                    case EXT_SIGNATURE_ALGORITHMS -> {
                        sigalgsSeen = true;
                        if (data + 2 <= at) {
                            int listEnd = Math.min(at, data + 2 + hello.getUnsignedShort(data));
                            for (int i = data + 2; i + 1 < listEnd; i += 2) {
                                int scheme = hello.getUnsignedShort(i);
                                if ((scheme & 0xff) == ECDSA_SIGNATURE) {
                                    anyEcdsa = true;
                                    schemes |= tls13SchemeBit(scheme);
                                }
                            }
                        }
                    }
                    default -> {
                        // other extensions do not affect the choice of certificate
                    }
                }
            }
        }
        return new ClientHelloFacts(serverName, tls13, schemes, anyEcdsa || !sigalgsSeen, ecdsaSuite);
    }

    /** The bit for a TLS 1.3 ECDSA scheme (0x0403, 0x0503, 0x0603), else 0. */
    static int tls13SchemeBit(int scheme) {
        return switch (scheme) {
            case 0x0403 -> P256;
            case 0x0503 -> P384;
            case 0x0603 -> P521;
            default -> 0;
        };
    }

    private static String serverName(ByteBuf hello, int at, int end) {
        if (at + 2 > end) {
            return null;
        }
        int listEnd = Math.min(end, at + 2 + hello.getUnsignedShort(at));
        at += 2;
        while (at + 3 <= listEnd) {
            int nameType = hello.getUnsignedByte(at);
            int length = hello.getUnsignedShort(at + 1);
            at += 3;
            if (at + length > listEnd) {
                return null;
            }
            if (nameType == HOST_NAME) {
                return length == 0 || length > MAX_HOST_NAME ? null
                        : hello.toString(at, length, StandardCharsets.US_ASCII);
            }
            at += length;
        }
        return null;
    }

    private static boolean listsTls13(ByteBuf hello, int at, int end) {
        if (at + 1 > end) {
            return false;
        }
        int listEnd = Math.min(end, at + 1 + hello.getUnsignedByte(at));
        for (int i = at + 1; i + 1 < listEnd; i += 2) {
            if (hello.getUnsignedShort(i) == TLS13) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this client can verify an ECDSA certificate whose TLS 1.3 scheme is {@code scheme}
     * (0x0403 for P-256…), given whether the server enables TLS 1.3.
     */
    public boolean acceptsEcdsa(int scheme, boolean serverTls13) {
        if (offersTls13 && serverTls13) {
            return (ecdsaSchemes & tls13SchemeBit(scheme)) != 0;
        }
        return offersEcdsaSuite && anyEcdsaSigalg;
    }
}
