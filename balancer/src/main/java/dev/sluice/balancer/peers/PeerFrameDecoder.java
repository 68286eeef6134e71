package dev.sluice.balancer.peers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the bytes after the handshake into {@link PeerFrame}s. A body longer than
 * {@link PeerMessages#MAX_BODY_BYTES} ends the session: the peer is told (size limit error) and the
 * connection closes, as HAProxy does.
 */
final class PeerFrameDecoder extends ByteToMessageDecoder {

    /** A message was too large: the connection is closing and what else arrives is dropped. */
    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int messageClass = in.getUnsignedByte(start);
            int type = in.getUnsignedByte(start + 1);
            if (type < PeerMessages.WITH_BODY) {
                in.skipBytes(2);
                out.add(new PeerFrame(messageClass, type, Unpooled.EMPTY_BUFFER));
                continue;
            }
            int lengthBytes = VarInt.peekLength(in, start + 2);
            if (lengthBytes < 0) {
                return;
            }
            in.skipBytes(2);
            long length = VarInt.read(in);
            if (length > PeerMessages.MAX_BODY_BYTES) {
                failed = true;
                in.skipBytes(in.readableBytes());
                ctx.writeAndFlush(PeerMessages.bare(ctx.alloc(), PeerMessages.CLASS_ERROR,
                        PeerMessages.ERROR_SIZE_LIMIT)).addListener(f -> ctx.close());
                return;
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            out.add(new PeerFrame(messageClass, type, in.readRetainedSlice((int) length)));
        }
    }
}
