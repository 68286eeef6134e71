package dev.sluice.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary v2 header (spec 2.2), checked byte by byte as it arrives: signature, version 2,
 * command LOCAL/PROXY, one of the seven defined family/transport bytes, a length that covers the
 * family's address block and fits our limit, TLVs that exactly fill the rest, a CRC32C that
 * matches when present. LOCAL headers are checked the same way, then their addresses discarded.
 */
final class ProxyV2Parser {
    static final int VERSION = 0x20;
    static final int COMMAND_LOCAL = 0x00;
    static final int COMMAND_PROXY = 0x01;
    static final int INET_ADDRESS_BYTES = 12;
    static final int INET6_ADDRESS_BYTES = 36;
    /** Spec 2.2: two 108-byte unix socket paths. */
    static final int UNIX_PATH_BYTES = 108;
    static final int UNIX_ADDRESS_BYTES = 2 * UNIX_PATH_BYTES;
    static final int TLV_HEADER_BYTES = 3;
    static final int CRC_BYTES = 4;

    private static final int VER_CMD_OFFSET = 12;
    private static final int FAMILY_OFFSET = 13;
    private static final int LENGTH_OFFSET = 14;

    private ProxyV2Parser() {
    }

    static ProxyHeader parse(ByteBuf in, int maxBytes) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available > VER_CMD_OFFSET) {
            int verCmd = in.getUnsignedByte(start + VER_CMD_OFFSET);
            if ((verCmd & 0xF0) != VERSION) {
                throw ProxyRefusedException.of(ProxyRefusal.BAD_VERSION);
            }
            if ((verCmd & 0x0F) > COMMAND_PROXY) {
                throw ProxyRefusedException.of(ProxyRefusal.BAD_COMMAND);
            }
        }
        int addressBytes = 0;
        if (available > FAMILY_OFFSET) {
            addressBytes = addressBytes(in.getUnsignedByte(start + FAMILY_OFFSET));
        }
        if (available < ProxyHeaderParser.V2_FIXED_BYTES) {
            return null;
        }
        int length = in.getUnsignedShort(start + LENGTH_OFFSET);
        int total = ProxyHeaderParser.V2_FIXED_BYTES + length;
        if (length < addressBytes) {
            throw ProxyRefusedException.of(ProxyRefusal.BAD_LENGTH);
        }
        if (total > maxBytes) {
            throw ProxyRefusedException.of(ProxyRefusal.TOO_LONG);
        }
        if (available < total) {
            return null;
        }
        ProxyHeader header = build(in, start, total, addressBytes);
        in.readerIndex(start + total);
        return header;
    }

    /** The address block size for a family/transport byte; refuses the undefined ones. */
    static int addressBytes(int familyByte) {
        return switch (familyByte) {
            case 0x00 -> 0;
            case 0x11, 0x12 -> INET_ADDRESS_BYTES;
            case 0x21, 0x22 -> INET6_ADDRESS_BYTES;
            case 0x31, 0x32 -> UNIX_ADDRESS_BYTES;
            default -> throw ProxyRefusedException.of(ProxyRefusal.BAD_FAMILY);
        };
    }

    private static ProxyHeader build(ByteBuf in, int start, int total, int addressBytes) {
        int end = start + total;
        int tlvStart = start + ProxyHeaderParser.V2_FIXED_BYTES + addressBytes;
        List<Tlv> tlvs = tlvs(in, start, tlvStart, end);
        boolean local = (in.getUnsignedByte(start + VER_CMD_OFFSET) & 0x0F) == COMMAND_LOCAL;
        int familyByte = in.getUnsignedByte(start + FAMILY_OFFSET);
        if (local) {
            return ProxyHeader.local(tlvs);  // spec 2.2: the receiver uses the real endpoints
        }
        if (familyByte == 0x00) {
            return new ProxyHeader(ProxyHeader.Command.PROXY, ProxyHeader.Family.UNSPEC, ProxyHeader.Transport.UNSPEC, null, null, tlvs);
        }
        ProxyHeader.Family family = ProxyHeader.Family.values()[familyByte >> 4];
        ProxyHeader.Transport transport = (familyByte & 0x0F) == 1 ? ProxyHeader.Transport.STREAM : ProxyHeader.Transport.DGRAM;
        int at = start + ProxyHeaderParser.V2_FIXED_BYTES;
        SocketAddress source;
        SocketAddress destination;
        if (family == ProxyHeader.Family.UNIX) {
            source = new DomainSocketAddress(unixPath(in, at));
            destination = new DomainSocketAddress(unixPath(in, at + UNIX_PATH_BYTES));
        } else {
            int size = family == ProxyHeader.Family.INET ? 4 : 16;
            InetAddress src = inet(in, at, size);
            InetAddress dst = inet(in, at + size, size);
            int ports = at + 2 * size;
            source = new InetSocketAddress(src, in.getUnsignedShort(ports));
            destination = new InetSocketAddress(dst, in.getUnsignedShort(ports + 2));
        }
        return new ProxyHeader(ProxyHeader.Command.PROXY, family, transport, source, destination, tlvs);
    }

    private static InetAddress inet(ByteBuf in, int at, int size) {
        byte[] bytes = new byte[size];
        in.getBytes(at, bytes);
        try {
            // Inet6Address keeps an IPv4-mapped address in the family the header announced
            return size == 4 ? Inet4Address.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * A C string for a filesystem path (up to the first NUL); for an abstract socket (a leading
     * NUL) every byte up to the trailing NUL padding.
     */
    private static String unixPath(ByteBuf in, int at) {
        int end = at + UNIX_PATH_BYTES;
        if (in.getByte(at) != 0) {
            int nul = in.indexOf(at, end, (byte) 0);
            end = nul < 0 ? end : nul;
        } else {
            while (end > at + 1 && in.getByte(end - 1) == 0) {
                end--;
            }
        }
        return in.toString(at, end - at, StandardCharsets.ISO_8859_1);
    }

    private static List<Tlv> tlvs(ByteBuf in, int start, int at, int end) {
        List<Tlv> tlvs = new ArrayList<>(4);
        int crcAt = -1;
        while (at < end) {
            if (end - at < TLV_HEADER_BYTES) {
                throw ProxyRefusedException.of(ProxyRefusal.BAD_TLV);
            }
            int type = in.getUnsignedByte(at);
            int length = in.getUnsignedShort(at + 1);
            int value = at + TLV_HEADER_BYTES;
            if (length > end - value) {
                throw ProxyRefusedException.of(ProxyRefusal.BAD_TLV);
            }
            switch (type) {
                case Tlv.CRC32C -> {
                    if (length != CRC_BYTES || crcAt >= 0) {
                        throw ProxyRefusedException.of(ProxyRefusal.BAD_TLV);
                    }
                    crcAt = value;
                }
                case Tlv.NOOP -> {
                    // padding: nothing to keep
                }
                default -> {
                    if (type == Tlv.UNIQUE_ID && length > Tlv.MAX_UNIQUE_ID_BYTES) {
                        throw ProxyRefusedException.of(ProxyRefusal.BAD_TLV);
                    }
                    byte[] bytes = new byte[length];
                    in.getBytes(value, bytes);
                    tlvs.add(Tlv.owning(type, bytes));
                }
            }
            at = value + length;
        }
        if (crcAt >= 0 && in.getInt(crcAt) != crc32c(in, start, end, crcAt)) {
            throw ProxyRefusedException.of(ProxyRefusal.BAD_CRC);
        }
        return tlvs;
    }

    /** Spec 2.2.3: CRC32c over the whole header with the checksum field taken as zeros. */
    static int crc32c(ByteBuf buf, int start, int end, int crcAt) {
        CRC32C crc = new CRC32C();
        crc.update(buf.nioBuffer(start, crcAt - start));
        crc.update(ZEROS, 0, CRC_BYTES);
        crc.update(buf.nioBuffer(crcAt + CRC_BYTES, end - crcAt - CRC_BYTES));
        return (int) crc.getValue();
    }

    private static final byte[] ZEROS = new byte[CRC_BYTES];
}
