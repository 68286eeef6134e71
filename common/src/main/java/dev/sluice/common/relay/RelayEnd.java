package dev.sluice.common.relay;

/** Why a relay ended. */
public enum RelayEnd {
    /** Both directions ended with a FIN (or close_notify), in either order. */
    COMPLETED("both sides finished"),
    /** The client closed the connection (or it was reset) before the backend finished. */
    CLIENT_CLOSED("the client closed"),
    /** The backend closed the connection (or it was reset) before the client finished. */
    BACKEND_CLOSED("the backend closed"),
    /** No byte moved either way for the idle timeout. */
    IDLE_TIMEOUT("idle timeout"),
    /** A read or write failed on one side. */
    ERROR("I/O error");

    private final String sentence;

    RelayEnd(String sentence) {
        this.sentence = sentence;
    }

    public String sentence() {
        return sentence;
    }
}
