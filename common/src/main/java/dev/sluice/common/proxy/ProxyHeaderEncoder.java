package dev.sluice.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes PROXY headers straight into a caller's buffer ({@link #encodeV1}, {@link #encodeV2}), and
 * as a pipeline handler writes a {@link ProxyHeader} message in the version it was built for.
 *
 * <p>Netty's {@code HAProxyMessageEncoder} writes from its own message type and has no CRC32C; this
 * one writes our model directly, adds the CRC32C TLV on request and sizes the buffer exactly.
 */
@ChannelHandler.Sharable
public final class ProxyHeaderEncoder extends MessageToByteEncoder<ProxyHeader> {
    private static final byte[] V1_UNKNOWN = "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V1_TCP4 = "PROXY TCP4 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V1_TCP6 = "PROXY TCP6 ".getBytes(StandardCharsets.US_ASCII);

    private final int version;
    private final boolean crc32c;

    /** A handler writing v1 ({@code version} 1) or v2 (2), the latter with a CRC32C TLV if asked. */
    public ProxyHeaderEncoder(int version, boolean crc32c) {
        super(ProxyHeader.class);
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("version: " + version + " (expected: 1 or 2)");
        }
        if (version == 1 && crc32c) {
            throw new IllegalArgumentException("crc32c: true (expected: false for v1, which has no TLVs)");
        }
        this.version = version;
        this.crc32c = crc32c;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ProxyHeader header, ByteBuf out) {
        if (version == 1) {
            encodeV1(header, out);
        } else {
            encodeV2(header, out, crc32c);
        }
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ProxyHeader header, boolean preferDirect) {
        int size = version == 1 ? ProxyHeaderParser.V1_MAX_BYTES : v2Length(header, crc32c);
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    /**
     * Writes the v1 line. v1 carries only TCP over IPv4/IPv6: LOCAL, UNSPEC, UNIX and DGRAM are
     * written as {@code PROXY UNKNOWN} (spec 2.1), and TLVs are not representable so not written.
     */
    public static void encodeV1(ProxyHeader header, ByteBuf out) {
        boolean tcp = header.command() == ProxyHeader.Command.PROXY && header.transport() == ProxyHeader.Transport.STREAM
                && (header.family() == ProxyHeader.Family.INET || header.family() == ProxyHeader.Family.INET6);
        if (!tcp) {
            out.writeBytes(V1_UNKNOWN);
            return;
        }
        InetSocketAddress src = (InetSocketAddress) header.source();
        InetSocketAddress dst = (InetSocketAddress) header.destination();
        out.writeBytes(header.family() == ProxyHeader.Family.INET ? V1_TCP4 : V1_TCP6);
        out.writeCharSequence(NetUtil.toAddressString(src.getAddress(), true), StandardCharsets.US_ASCII);
        out.writeByte(' ');
        out.writeCharSequence(NetUtil.toAddressString(dst.getAddress(), true), StandardCharsets.US_ASCII);
        out.writeByte(' ');
        writeDecimal(out, src.getPort());
        out.writeByte(' ');
        writeDecimal(out, dst.getPort());
        out.writeByte('\r');
        out.writeByte('\n');
    }

    private static void writeDecimal(ByteBuf out, int value) {
        int divisor = 1;
        while (divisor * 10 <= value) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            out.writeByte('0' + value / divisor % 10);
        }
    }

    /** The exact number of bytes {@link #encodeV2} writes for {@code header}. */
    public static int v2Length(ProxyHeader header, boolean crc32c) {
        int length = ProxyHeaderParser.V2_FIXED_BYTES + addressBytes(header);
        List<Tlv> tlvs = header.tlvs();
        for (int i = 0; i < tlvs.size(); i++) {  // indexed: no iterator per header on the hot path
            Tlv tlv = tlvs.get(i);
            if (tlv.type() != Tlv.CRC32C) {
                length += ProxyV2Parser.TLV_HEADER_BYTES + tlv.length();
            }
        }
        return crc32c ? length + ProxyV2Parser.TLV_HEADER_BYTES + ProxyV2Parser.CRC_BYTES : length;
    }

    /**
     * Writes the binary header: addresses for PROXY (none for LOCAL/UNSPEC), the TLVs in order
     * (a CRC32C TLV in the list is skipped), and, if {@code crc32c}, a CRC32C TLV last with the
     * checksum of the whole header. Throws {@link IllegalArgumentException} if it exceeds 65,535
     * bytes after the fixed part.
     */
    public static void encodeV2(ProxyHeader header, ByteBuf out, boolean crc32c) {
        int length = v2Length(header, crc32c) - ProxyHeaderParser.V2_FIXED_BYTES;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("header: " + length + " bytes after the fixed part (expected: at most 65535)");
        }
        int start = out.writerIndex();
        out.writeBytes(ProxyHeaderParser.V2_SIGNATURE);
        boolean local = header.command() == ProxyHeader.Command.LOCAL;
        out.writeByte(ProxyV2Parser.VERSION | (local ? ProxyV2Parser.COMMAND_LOCAL : ProxyV2Parser.COMMAND_PROXY));
        out.writeByte(header.family().ordinal() << 4 | header.transport().ordinal());
        out.writeShort(length);
        writeAddresses(header, out);
        List<Tlv> tlvs = header.tlvs();
        for (int i = 0; i < tlvs.size(); i++) {
            Tlv tlv = tlvs.get(i);
            if (tlv.type() != Tlv.CRC32C) {
                out.writeByte(tlv.type());
                out.writeShort(tlv.length());
                out.writeBytes(tlv.valueUnsafe());
            }
        }
        if (crc32c) {
            out.writeByte(Tlv.CRC32C);
            out.writeShort(ProxyV2Parser.CRC_BYTES);
            int crcAt = out.writerIndex();
            out.writeInt(0);
            out.setInt(crcAt, ProxyV2Parser.crc32c(out, start, out.writerIndex(), crcAt));
        }
    }

    private static int addressBytes(ProxyHeader header) {
        return switch (header.family()) {
            case UNSPEC -> 0;
            case INET -> ProxyV2Parser.INET_ADDRESS_BYTES;
            case INET6 -> ProxyV2Parser.INET6_ADDRESS_BYTES;
            case UNIX -> ProxyV2Parser.UNIX_ADDRESS_BYTES;
        };
    }

    private static void writeAddresses(ProxyHeader header, ByteBuf out) {
        switch (header.family()) {
            case UNSPEC -> {
                // no address block
            }
            case INET, INET6 -> {
                InetSocketAddress src = (InetSocketAddress) header.source();
                InetSocketAddress dst = (InetSocketAddress) header.destination();
                out.writeBytes(src.getAddress().getAddress());
                out.writeBytes(dst.getAddress().getAddress());
                out.writeShort(src.getPort());
                out.writeShort(dst.getPort());
            }
            case UNIX -> {
                writeUnixPath(out, ((DomainSocketAddress) header.source()).path());
                writeUnixPath(out, ((DomainSocketAddress) header.destination()).path());
            }
        }
    }

    private static void writeUnixPath(ByteBuf out, String path) {
        int written = out.writeCharSequence(path, StandardCharsets.ISO_8859_1);  // length checked by ProxyHeader
        out.writeZero(ProxyV2Parser.UNIX_PATH_BYTES - written);
    }
}
