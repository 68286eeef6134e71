package dev.sluice.balancer.peers;

/** A peer sent what the protocol does not allow: its session ends with a protocol error message. */
public final class PeerProtocolException extends RuntimeException {

    public PeerProtocolException(String message) {
        super(message, null, false, false);
    }
}
