package dev.sluice.balancer.peers;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The handshake, which leaves the pipeline once it succeeds. The side that connects sends the hello
 * (protocol and version, the name it expects the other to have, its own name and pid) and reads one
 * status line; the side that accepts checks the hello and answers the status. Only {@code 200} opens
 * the session; any other status closes the connection.
 */
final class HelloPhase extends ByteToMessageDecoder {

    private static final Logger log = LogManager.getLogger(HelloPhase.class);

    private final PeerNode node;
    /** The peer this side dialed; null on the accepting side. */
    private final String dialed;
    /** The handshake failed: the connection is closing and what else arrives is dropped. */
    private boolean failed;

    private HelloPhase(PeerNode node, String dialed) {
        this.node = node;
        this.dialed = dialed;
    }

    static HelloPhase accepting(PeerNode node) {
        return new HelloPhase(node, null);
    }

    static HelloPhase dialing(PeerNode node, String remote) {
        return new HelloPhase(node, remote);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (dialed != null) {
            String hello = PeerMessages.PROTOCOL + " " + PeerMessages.MAJOR + "." + PeerMessages.MINOR + "\n" + dialed
                    + "\n" + node.localName() + " " + ProcessHandle.current().pid() + " 1\n";
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(hello.getBytes(StandardCharsets.US_ASCII)));
        }
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int lines = dialed != null ? 1 : 3;
        int end = lineEnd(in, lines);
        if (end < 0) {
            if (in.readableBytes() > PeerMessages.MAX_HELLO_BYTES) {
                fail(ctx, dialed == null ? PeerMessages.STATUS_PROTOCOL_ERROR : 0, "handshake longer than "
                        + PeerMessages.MAX_HELLO_BYTES + " bytes");
            }
            return;
        }
        String text = in.readCharSequence(end - in.readerIndex(), StandardCharsets.US_ASCII).toString();
        in.skipBytes(1);
        String[] parts = text.split("\n", -1);
        if (dialed != null) {
            String status = parts[0].trim();
            if (!status.equals(Integer.toString(PeerMessages.STATUS_SUCCESS))) {
                fail(ctx, 0, "peer " + dialed + " answered status " + status);
                return;
            }
            open(ctx, dialed);
            return;
        }
        Hello hello = Hello.parse(parts);
        int status = hello.status(node);
        if (status != PeerMessages.STATUS_SUCCESS) {
            fail(ctx, status, "refused a hello from " + ctx.channel().remoteAddress() + " (" + hello.peer() + ")");
            return;
        }
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes((status + "\n").getBytes(StandardCharsets.US_ASCII)));
        open(ctx, hello.peer());
    }

    private void open(ChannelHandlerContext ctx, String peer) {
        PeerSession session = ctx.pipeline().get(PeerSession.class);
        ctx.pipeline().remove(this); // what followed the handshake goes on to the frame decoder
        session.open(peer);
    }

    private void fail(ChannelHandlerContext ctx, int status, String why) {
        failed = true;
        log.warn("peers {}: {}{}", node.sectionName(), why, status == 0 ? "" : "; answered " + status);
        ByteBuf reply = status == 0 ? ctx.alloc().buffer(0)
                : ctx.alloc().buffer().writeBytes((status + "\n").getBytes(StandardCharsets.US_ASCII));
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        ctx.channel().config().setAutoRead(false);
    }

    /** The index of the {@code n}th line feed, or -1. */
    private static int lineEnd(ByteBuf in, int n) {
        int from = in.readerIndex();
        int end = -1;
        for (int i = 0; i < n; i++) {
            end = in.indexOf(from, in.writerIndex(), (byte) '\n');
            if (end < 0) {
                return -1;
            }
            from = end + 1;
        }
        return end;
    }

    /** A hello's three lines, as read. */
    record Hello(String protocol, int major, int minor, String target, String peer) {

        static Hello parse(String[] lines) {
            String[] first = lines[0].split(" ", -1);
            int major = -1;
            int minor = -1;
            if (first.length == 2) {
                String[] version = first[1].split("\\.", -1);
                if (version.length == 2 && version[0].matches("[0-9]{1,3}") && version[1].matches("[0-9]{1,3}")) {
                    major = Integer.parseInt(version[0]);
                    minor = Integer.parseInt(version[1]);
                }
            }
            String[] third = lines[2].split(" ", -1);
            return new Hello(first[0], major, minor, lines[1], third.length == 3 ? third[0] : null);
        }

        /** The status HAProxy answers to this hello. */
        int status(PeerNode node) {
            if (!protocol.equals(PeerMessages.PROTOCOL) || major < 0 || peer == null) {
                return PeerMessages.STATUS_PROTOCOL_ERROR;
            }
            if (major != PeerMessages.MAJOR || minor > PeerMessages.MINOR) {
                return PeerMessages.STATUS_BAD_VERSION;
            }
            if (!target.equals(node.localName())) {
                return PeerMessages.STATUS_LOCAL_NAME_MISMATCH;
            }
            if (!node.knows(peer)) {
                return PeerMessages.STATUS_UNKNOWN_PEER;
            }
            return PeerMessages.STATUS_SUCCESS;
        }
    }
}
