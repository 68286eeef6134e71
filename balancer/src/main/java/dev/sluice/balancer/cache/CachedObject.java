package dev.sluice.balancer.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stored response: its headers as the {@code cache-store} rule saw them and its body, both
 * never changed once built, so that every event loop serves them at once without copying.
 * {@link ObjectCache} drops the body when the object leaves the cache.
 */
public final class CachedObject {
    /** What one header line costs in the cache besides its name and value (": " and CRLF). */
    private static final int HEADER_LINE_OVERHEAD = 4;

    private final String primaryKey;
    private final Vary variant;
    private final HttpHeaders headers;
    private final long storedAtNanos;
    private final long expiresAtNanos;
    private final long initialAgeSeconds;
    private final int footprint;
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile byte[] body;

    /**
     * @param headers     the stored response headers, owned by this object from now on
     * @param freshNanos  how long the object stays fresh from {@code storedAtNanos}
     */
    CachedObject(String primaryKey, Vary variant, HttpHeaders headers, byte[] body,
                 long storedAtNanos, long freshNanos, long initialAgeSeconds) {
        this.primaryKey = Objects.requireNonNull(primaryKey, "primaryKey");
        this.variant = Objects.requireNonNull(variant, "variant");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.storedAtNanos = storedAtNanos;
        this.expiresAtNanos = storedAtNanos + freshNanos;
        this.initialAgeSeconds = initialAgeSeconds;
        this.footprint = headerBytes(headers) + body.length;
    }

    /** The bytes of the header lines, as HAProxy counts them against {@code max-object-size}. */
    static int headerBytes(HttpHeaders headers) {
        int bytes = 0;
        for (var header : headers) {
            bytes += header.getKey().length() + header.getValue().length() + HEADER_LINE_OVERHEAD;
        }
        return bytes;
    }

    /** The Host and URI it was stored under. */
    public String primaryKey() {
        return primaryKey;
    }

    /** Whether this variant answers a request with these headers (always, when nothing varies). */
    boolean matches(HttpHeaders requestHeaders) {
        return variant.matches(requestHeaders);
    }

    boolean sameVariant(CachedObject other) {
        return variant.equals(other.variant);
    }

    long expiresInSeconds(long nowNanos) {
        return Math.floorDiv(expiresAtNanos - nowNanos, 1_000_000_000L);
    }

    /** A 32-bit hash of the key, as {@code show cache} prints one (CRC-32 of host and URI). */
    public long keyHash() {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(primaryKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** A 64-bit mark of the variant, 0 when nothing varies, as {@code show cache} prints one. */
    public long varyMark() {
        return variant.names().isEmpty() ? 0 : Integer.toUnsignedLong(variant.hashCode());
    }

    boolean expired(long nowNanos) {
        return nowNanos - expiresAtNanos >= 0;
    }

    /** The {@code Age} it is served with: the server's own age plus the seconds it has been stored. */
    long ageSeconds(long nowNanos) {
        return initialAgeSeconds + Math.max(0, (nowNanos - storedAtNanos) / 1_000_000_000L);
    }

    /** Headers and body, the bytes checked against {@code max-object-size}. */
    public int footprint() {
        return footprint;
    }

    /** The space it takes, in whole blocks as HAProxy's shared cache allocates it. */
    public long blockBytes() {
        return (footprint + ObjectCache.BLOCK_BYTES - 1L) / ObjectCache.BLOCK_BYTES * ObjectCache.BLOCK_BYTES;
    }

    /** The stored headers; read only. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The body, or null once the object left the cache. */
    public byte[] body() {
        return body;
    }

    /** Marks the object as out of the cache; true for the one caller that did it. */
    boolean leave() {
        if (!gone.compareAndSet(false, true)) {
            return false;
        }
        body = null; // the eviction queue may hold the object a while longer; its bytes go now
        return true;
    }
}
