package dev.sluice.balancer.peers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;

/**
 * The numbers and limits of HAProxy's peers protocol (its {@code peers-v2.0.txt}, and what HAProxy
 * 2.6 sends: version 2.1 with heartbeats and timed updates), and the writing of a message: a class
 * byte, a type byte and, for types from 128 on, an encoded length and that many bytes.
 */
final class PeerMessages {

    static final String PROTOCOL = "HAProxyS";
    static final int MAJOR = 2;
    static final int MINOR = 1;

    /** Handshake status codes, answered to a hello on one line. */
    static final int STATUS_SUCCESS = 200;
    static final int STATUS_TRY_AGAIN = 300;
    static final int STATUS_PROTOCOL_ERROR = 501;
    static final int STATUS_BAD_VERSION = 502;
    static final int STATUS_LOCAL_NAME_MISMATCH = 503;
    static final int STATUS_UNKNOWN_PEER = 504;

    static final int CLASS_CONTROL = 0;
    static final int CLASS_ERROR = 1;
    static final int CLASS_TABLE = 10;

    static final int CONTROL_RESYNC_REQUEST = 0;
    static final int CONTROL_RESYNC_FINISHED = 1;
    static final int CONTROL_RESYNC_PARTIAL = 2;
    static final int CONTROL_RESYNC_CONFIRM = 3;
    static final int CONTROL_HEARTBEAT = 4;

    static final int ERROR_PROTOCOL = 0;
    static final int ERROR_SIZE_LIMIT = 1;

    /** Types from here on carry a length and a body. */
    static final int WITH_BODY = 128;
    static final int TABLE_UPDATE = 128;
    static final int TABLE_INCREMENTAL_UPDATE = 129;
    static final int TABLE_DEFINITION = 130;
    static final int TABLE_SWITCH = 131;
    static final int TABLE_ACK = 132;
    static final int TABLE_UPDATE_TIMED = 133;
    static final int TABLE_INCREMENTAL_UPDATE_TIMED = 134;

    /** The largest message body accepted: HAProxy's default buffer (tune.bufsize) holds no more. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    /** The largest hello (three short lines) accepted before the handshake fails. */
    static final int MAX_HELLO_BYTES = 1024;
    /** A silent peer is sent a heartbeat this often (HAProxy's PEER_HEARTBEAT_TIMEOUT)... */
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(3);
    /** ...and a peer that sent nothing for this long is taken as gone; also the handshake's deadline. */
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(5);

    private PeerMessages() {
    }

    /** A message without a body (control messages, errors). */
    static ByteBuf bare(ByteBufAllocator alloc, int messageClass, int type) {
        return alloc.buffer(2).writeByte(messageClass).writeByte(type);
    }

    /** A message with {@code body}, which is read whole (not released: it is the caller's scratch). */
    static ByteBuf withBody(ByteBufAllocator alloc, int messageClass, int type, ByteBuf body) {
        int length = body.readableBytes();
        ByteBuf message = alloc.buffer(2 + VarInt.MAX_BYTES + length);
        message.writeByte(messageClass).writeByte(type);
        VarInt.write(message, length);
        message.writeBytes(body, body.readerIndex(), length);
        return message;
    }
}
