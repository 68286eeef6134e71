package dev.sluice.balancer.acl;

import io.netty.buffer.ByteBuf;

/**
 * A strict, bounded reading of a TLS ClientHello at the start of a connection's first bytes (RFC
 * 8446 §4.1.2, RFC 5246 §7.4.1.2), for {@code req.ssl_sni}, {@code req.ssl_alpn},
 * {@code req.ssl_ec_ext} and {@code req.ssl_st_ext}. It never reads past the bytes it is given:
 * a hello whose record has not fully arrived is {@link #TOO_SHORT} ("not yet"); one that breaks a
 * length rule, or whose handshake message does not fit in its first record, is
 * {@link #NOT_HELLO}. Offsets are relative to the first byte received. The fields are set while
 * parsing and never after; the payload keeps one result per arrival of data.
 */
final class ClientHello {

    /** TLS record content type "handshake" (RFC 8446 §5.1). */
    static final int HANDSHAKE = 0x16;
    /** Handshake message type "client_hello". */
    static final int CLIENT_HELLO = 1;
    /** Record header: type, version (2), length (2). */
    static final int RECORD_HEADER = 5;
    /** Handshake header: type, length (3). */
    static final int HANDSHAKE_HEADER = 4;
    /** The largest record payload a peer may send: 2^14 plus 2048 of expansion (RFC 5246 §6.2.3). */
    static final int MAX_RECORD = (1 << 14) + 2048;
    /** Longest legacy session id (RFC 8446 §4.1.2). */
    static final int MAX_SESSION_ID = 32;
    static final int EXT_SERVER_NAME = 0;
    static final int EXT_SUPPORTED_GROUPS = 10;
    static final int EXT_ALPN = 16;
    static final int EXT_SESSION_TICKET = 35;
    static final int HOST_NAME = 0;

    static final ClientHello TOO_SHORT = new ClientHello(Status.TOO_SHORT);
    static final ClientHello NOT_HELLO = new ClientHello(Status.NOT_HELLO);

    enum Status {
        /** More bytes are needed to decide. */
        TOO_SHORT,
        /** Not a ClientHello this parser accepts. */
        NOT_HELLO,
        /** A complete ClientHello. */
        HELLO
    }

    final Status status;
    /** The host name of the server_name extension, or -1 when absent. */
    int sniFrom = -1;
    int sniLength;
    /** The ALPN protocol_name_list (length-prefixed names), or -1 when absent. */
    int alpnFrom = -1;
    int alpnLength;
    boolean supportedGroups;
    boolean sessionTicket;

    private ClientHello(Status status) {
        this.status = status;
    }

    /** Parses {@code length} bytes of {@code buf} from absolute index {@code base}. */
    static ClientHello parse(ByteBuf buf, int base, int length) {
        Reader in = new Reader(buf, base, length);
        if (length < 1) {
            return TOO_SHORT;
        }
        if (in.u8(0) != HANDSHAKE) {
            return NOT_HELLO;
        }
        if (length < RECORD_HEADER) {
            return TOO_SHORT;
        }
        if (in.u8(1) != 3 || in.u8(2) < 1) {
            return NOT_HELLO;
        }
        int recordLength = in.u16(3);
        if (recordLength < HANDSHAKE_HEADER || recordLength > MAX_RECORD) {
            return NOT_HELLO;
        }
        if (length < RECORD_HEADER + recordLength) {
            return TOO_SHORT;
        }
        int p = RECORD_HEADER;
        if (in.u8(p) != CLIENT_HELLO) {
            return NOT_HELLO;
        }
        int helloLength = in.u24(p + 1);
        p += HANDSHAKE_HEADER;
        int end = p + helloLength;
        if (helloLength > recordLength - HANDSHAKE_HEADER) {
            // A hello split over several records: the first one alone cannot be read.
            return NOT_HELLO;
        }
        // legacy_version (2) and random (32), then the session id.
        if (end - p < 2 + 32 + 1 || in.u8(p) != 3 || in.u8(p + 1) < 1) {
            return NOT_HELLO;
        }
        p += 2 + 32;
        int sessionId = in.u8(p++);
        if (sessionId > MAX_SESSION_ID || end - p < sessionId + 2) {
            return NOT_HELLO;
        }
        p += sessionId;
        int ciphers = in.u16(p);
        p += 2;
        if (ciphers < 2 || (ciphers & 1) != 0 || end - p < ciphers + 1) {
            return NOT_HELLO;
        }
        p += ciphers;
        int compressions = in.u8(p++);
        if (compressions < 1 || end - p < compressions) {
            return NOT_HELLO;
        }
        p += compressions;
        ClientHello hello = new ClientHello(Status.HELLO);
        if (p == end) {
            return hello; // no extensions at all (allowed before TLS 1.3)
        }
        if (end - p < 2 || in.u16(p) != end - p - 2) {
            return NOT_HELLO;
        }
        p += 2;
        while (p < end) {
            if (end - p < 4) {
                return NOT_HELLO;
            }
            int type = in.u16(p);
            int size = in.u16(p + 2);
            p += 4;
            if (size > end - p) {
                return NOT_HELLO;
            }
            if (!hello.extension(in, type, p, size)) {
                return NOT_HELLO;
            }
            p += size;
        }
        return hello;
    }

    /** Notes one extension; false when its body breaks its own length rules. */
    private boolean extension(Reader in, int type, int from, int size) {
        switch (type) {
            case EXT_SERVER_NAME -> {
                if (size == 0) {
                    return true; // a server's empty acknowledgement form; not a name
                }
                if (size < 2 || in.u16(from) != size - 2) {
                    return false;
                }
                int p = from + 2;
                int end = from + size;
                while (p < end) {
                    if (end - p < 3) {
                        return false;
                    }
                    int nameType = in.u8(p);
                    int nameLength = in.u16(p + 1);
                    p += 3;
                    if (nameLength > end - p) {
                        return false;
                    }
                    if (nameType == HOST_NAME && sniFrom < 0) {
                        sniFrom = p;
                        sniLength = nameLength;
                    }
                    p += nameLength;
                }
                return true;
            }
            case EXT_ALPN -> {
                if (size < 2 || in.u16(from) != size - 2) {
                    return false;
                }
                int p = from + 2;
                int end = from + size;
                while (p < end) {
                    int nameLength = in.u8(p);
                    if (nameLength == 0 || nameLength > end - p - 1) {
                        return false;
                    }
                    p += 1 + nameLength;
                }
                alpnFrom = from + 2;
                alpnLength = size - 2;
                return true;
            }
            case EXT_SUPPORTED_GROUPS -> {
                supportedGroups = true;
                return true;
            }
            case EXT_SESSION_TICKET -> {
                sessionTicket = true;
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    /**
     * {@code req.ssl_hello_type}: the handshake message type of a record of SSLv3 or later, once
     * the handshake message has arrived; -1 "not yet", -2 "not a handshake".
     */
    static int helloType(Payload payload) {
        int length = payload.length();
        if (length == 0) {
            return -1;
        }
        int first = payload.at(0);
        if (!(first >= 0x14 && first <= 0x17) && first != 0xff) {
            return -2;
        }
        if (length < RECORD_HEADER + HANDSHAKE_HEADER) {
            return -1;
        }
        if (payload.at(1) < 3 || (payload.at(3) << 8 | payload.at(4)) < HANDSHAKE_HEADER) {
            return -2;
        }
        int messageLength = payload.at(6) << 16 | payload.at(7) << 8 | payload.at(8);
        if (length < RECORD_HEADER + HANDSHAKE_HEADER + messageLength) {
            return -1;
        }
        return payload.at(5);
    }

    /**
     * {@code req.ssl_ver}: the record version as {@code major << 16 | minor} once the record has
     * arrived (SSLv3 framing; an SSLv2 hello is not accepted); -1 "not yet", -2 "not SSL".
     */
    static int recordVersion(Payload payload) {
        int length = payload.length();
        if (length == 0) {
            return -1;
        }
        int first = payload.at(0);
        if (!(first >= 0x14 && first <= 0x17) && first != 0xff) {
            return -2;
        }
        if (length < RECORD_HEADER) {
            return -1;
        }
        int version = payload.at(1) << 16 | payload.at(2);
        int recordLength = payload.at(3) << 8 | payload.at(4);
        if (version < 0x30000 || recordLength < 1 || recordLength > MAX_RECORD) {
            return -2;
        }
        if (length < RECORD_HEADER + recordLength) {
            return -1;
        }
        return version;
    }

    /** Bounded reads from a buffer region; callers check lengths before reading. */
    private record Reader(ByteBuf buf, int base, int length) {
        int u8(int i) {
            if (i >= length) {
                throw new IndexOutOfBoundsException(i);
            }
            return buf.getUnsignedByte(base + i);
        }

        int u16(int i) {
            return u8(i) << 8 | u8(i + 1);
        }

        int u24(int i) {
            return u8(i) << 16 | u16(i + 1);
        }
    }
}
