package dev.sluice.balancer.lb;

import java.util.Arrays;

/**
 * What one pick needs to know about the request, filled by the caller and read by the algorithm: the inputs
 * the hashing algorithms hash, and the servers already tried. Mutable and meant to be reused (one per request,
 * or one per event loop, {@link #reset()} between requests) so that picking allocates nothing.
 *
 * <p>The caller fetches only what the {@link Balance.Algorithm} asks for: the source address for
 * {@code source}, the request target for {@code uri} and {@code url_param}, the value of the header named by
 * {@link Balance.Header#name()} for {@code hdr()}, and the evaluated expression for {@code hash}. An input left
 * unset makes the hashing algorithms fall back to round robin, as HAProxy does.
 */
public final class PickContext {
    private static final int INITIAL_AVOIDED = 4;
    private static final int INITIAL_KEY_BYTES = 64;

    private byte[] sourceAddress;
    private CharSequence uri;
    private CharSequence headerValue;
    private byte[] keyBytes;
    private int keyLength;
    private CharSequence keyText;
    private int[] avoided = new int[INITIAL_AVOIDED];
    /** Owned storage for a {@code balance hash} key built by the caller (see {@link #keyBuffer}). */
    private byte[] ownKey = new byte[INITIAL_KEY_BYTES];
    private int avoidedCount;

    /** Clears every input and the avoided servers. */
    public PickContext reset() {
        sourceAddress = null;
        uri = null;
        headerValue = null;
        keyBytes = null;
        keyLength = 0;
        keyText = null;
        avoidedCount = 0;
        return this;
    }

    /** The client's address: 4 bytes (IPv4) or 16 (IPv6), network order; not copied. */
    public PickContext sourceAddress(byte[] address) {
        if (address != null && address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("source address: " + address.length + " bytes (expected: 4 or 16)");
        }
        this.sourceAddress = address;
        return this;
    }

    /** The request target as it appeared on the request line (origin or absolute form). */
    public PickContext uri(CharSequence requestTarget) {
        this.uri = requestTarget;
        return this;
    }

    /** The value of the balancing header (its first value when it is a list), or null when absent. */
    public PickContext headerValue(CharSequence value) {
        this.headerValue = value;
        return this;
    }

    /** The result of {@code balance hash EXPR} as bytes ({@code key[0, length)}, not copied). */
    public PickContext key(byte[] key, int length) {
        if (key != null && (length < 0 || length > key.length)) {
            throw new IllegalArgumentException("key length: " + length + " (expected: 0.." + key.length + ")");
        }
        this.keyBytes = key;
        this.keyLength = key == null ? 0 : length;
        this.keyText = null;
        return this;
    }

    /**
     * A buffer of at least {@code capacity} bytes that this context owns and reuses across requests, for a caller
     * that must copy a {@code balance hash} key (its sample is only valid during the evaluation) and then passes
     * it to {@link #key(byte[], int)}. The content is kept, so a caller may grow it while writing.
     */
    public byte[] keyBuffer(int capacity) {
        if (ownKey.length < capacity) {
            ownKey = Arrays.copyOf(ownKey, Math.max(capacity, ownKey.length * 2));
        }
        return ownKey;
    }

    /** The result of {@code balance hash EXPR} as text (each char one byte). */
    public PickContext key(CharSequence key) {
        this.keyText = key;
        this.keyBytes = null;
        this.keyLength = 0;
        return this;
    }

    /**
     * Marks a server as already tried (a retry or a redispatch): algorithms choose it again only when no
     * other server could take the request, as HAProxy does with the previous server.
     */
    public PickContext avoid(Candidate server) {
        return avoidId(server.id());
    }

    /** {@link #avoid(Candidate)} by server id. */
    public PickContext avoidId(int serverId) {
        if (!isAvoided(serverId)) {
            if (avoidedCount == avoided.length) {
                avoided = Arrays.copyOf(avoided, avoided.length * 2);
            }
            avoided[avoidedCount++] = serverId;
        }
        return this;
    }

    public boolean isAvoided(Candidate server) {
        return isAvoided(server.id());
    }

    public boolean isAvoided(int serverId) {
        for (int i = 0; i < avoidedCount; i++) {
            if (avoided[i] == serverId) {
                return true;
            }
        }
        return false;
    }

    boolean hasAvoided() {
        return avoidedCount > 0;
    }

    byte[] sourceAddress() {
        return sourceAddress;
    }

    CharSequence uri() {
        return uri;
    }

    CharSequence headerValue() {
        return headerValue;
    }

    boolean hasKey() {
        return keyBytes != null || keyText != null;
    }

    int hashKey(HashFunction function) {
        return keyBytes != null ? function.hash(keyBytes, 0, keyLength) : function.hash(keyText, 0, keyText.length());
    }
}
