package dev.sluice.balancer.peers;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.netty.util.AbstractReferenceCounted;

/** One message read from a peer: its class, type and body (empty for types below 128); release it. */
final class PeerFrame extends AbstractReferenceCounted {

    final int messageClass;
    final int type;
    final ByteBuf body;

    PeerFrame(int messageClass, int type, ByteBuf body) {
        this.messageClass = messageClass;
        this.type = type;
        this.body = body;
    }

    @Override
    protected void deallocate() {
        body.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        body.touch(hint);
        return this;
    }
}
