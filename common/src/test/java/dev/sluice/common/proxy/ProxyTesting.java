package dev.sluice.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Helpers shared by the PROXY tests: hex vectors, channels with a chosen peer, an event recorder. */
final class ProxyTesting {
    private ProxyTesting() {
    }

    /** Concatenates hex parts (each commented at the call site) into bytes. */
    static byte[] hex(String... parts) {
        return ByteBufUtil.decodeHexDump(String.join("", parts).replace(" ", ""));
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** A unix path field: the path's bytes padded with NULs to 108 bytes, as hex. */
    static String unixPath(String path) {
        byte[] field = new byte[108];
        byte[] bytes = ascii(path);
        System.arraycopy(bytes, 0, field, 0, bytes.length);
        return ByteBufUtil.hexDump(field);
    }

    /** Fills the 4-byte CRC32C value at {@code valueAt}, computed over {@code header} with zeros there. */
    static byte[] withCrc(byte[] header, int valueAt) {
        byte[] copy = header.clone();
        for (int i = 0; i < 4; i++) {
            copy[valueAt + i] = 0;
        }
        CRC32C crc = new CRC32C();
        crc.update(copy);
        int value = (int) crc.getValue();
        copy[valueAt] = (byte) (value >>> 24);
        copy[valueAt + 1] = (byte) (value >>> 16);
        copy[valueAt + 2] = (byte) (value >>> 8);
        copy[valueAt + 3] = (byte) value;
        return copy;
    }

    static ByteBuf buf(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    /** Reads and releases every inbound message that reached the tail, as one byte array. */
    static byte[] drainInbound(EmbeddedChannel channel) {
        ByteBuf all = Unpooled.buffer();
        try {
            for (Object msg; (msg = channel.readInbound()) != null; ) {
                ByteBuf buf = (ByteBuf) msg;
                all.writeBytes(buf);
                buf.release();
            }
            return ByteBufUtil.getBytes(all);
        } finally {
            all.release();
        }
    }

    /** An EmbeddedChannel whose peer is {@code remote}, with {@code decoder} then a recorder. */
    static EmbeddedChannel channel(SocketAddress remote, ProxyHeaderDecoder decoder, Recorder recorder) {
        EmbeddedChannel channel = new EmbeddedChannel(false, false) {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        try {
            channel.register();
        } catch (Exception e) {
            throw new AssertionError("cannot register an EmbeddedChannel", e);
        }
        // The clock stops before the decoder, added to the active channel, arms its deadline: a
        // test's advanceTimeBy counts from that very instant, however slow the machine.
        channel.freezeTime();
        channel.pipeline().addLast("proxy", decoder).addLast("recorder", recorder);
        return channel;
    }

    /** Records the user events and reads that pass it, in order; reads are passed on. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        int reads;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add(event);
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads++;
            events.add("read");
            ctx.fireChannelRead(msg);
        }
    }
}
