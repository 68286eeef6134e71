package dev.sluice.common.relay;

/** Bytes moved by one relay so far, read on its event loop; and why it ended, once it has. */
public final class RelayStats {
    long clientToBackend;
    long backendToClient;
    RelayEnd end;

    public long clientToBackend() {
        return clientToBackend;
    }

    public long backendToClient() {
        return backendToClient;
    }

    /** Null while the relay runs. */
    public RelayEnd end() {
        return end;
    }
}
