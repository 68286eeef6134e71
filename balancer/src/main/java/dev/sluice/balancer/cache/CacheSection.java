package dev.sluice.balancer.cache;

import java.util.Objects;

/**
 * One {@code cache NAME} section as HAProxy 2.6 reads it.
 *
 * @param totalMaxBytes       {@code total-max-size}, given in megabytes (1 to 4095)
 * @param maxObjectBytes      {@code max-object-size}: larger objects (headers and body) are not stored
 * @param maxAgeSeconds       {@code max-age}: the longest an object stays fresh, whatever the server says
 * @param processVary         {@code process-vary}: off refuses every response with a {@code Vary} header
 * @param maxSecondaryEntries {@code max-secondary-entries}: variants kept for one URL when vary is processed
 */
public record CacheSection(String name, long totalMaxBytes, int maxObjectBytes, int maxAgeSeconds,
                           boolean processVary, int maxSecondaryEntries) {

    /** HAProxy's limit on {@code total-max-size}, in megabytes. */
    public static final int MAX_TOTAL_MEGABYTES = 4095;
    /** HAProxy's {@code max-age} when none is given. */
    public static final int DEFAULT_MAX_AGE_SECONDS = 60;
    /** HAProxy's {@code max-secondary-entries} when none is given. */
    public static final int DEFAULT_MAX_SECONDARY_ENTRIES = 10;
    /** Without {@code max-object-size}, an object may take this fraction of the cache (HAProxy: a 256th). */
    public static final int DEFAULT_OBJECT_SHARE = 256;

    public CacheSection {
        Objects.requireNonNull(name, "name");
        if (totalMaxBytes < 1 || totalMaxBytes > (long) MAX_TOTAL_MEGABYTES << 20) {
            throw new IllegalArgumentException("totalMaxBytes: " + totalMaxBytes + " (expected: 1 to 4095 MB)");
        }
        if (maxObjectBytes < 1 || maxObjectBytes > totalMaxBytes / 2) {
            throw new IllegalArgumentException("maxObjectBytes: " + maxObjectBytes + " (expected: 1 to half of "
                    + totalMaxBytes + ")");
        }
        if (maxAgeSeconds < 0) {
            throw new IllegalArgumentException("maxAgeSeconds: " + maxAgeSeconds + " (expected: >= 0)");
        }
        if (maxSecondaryEntries < 1) {
            throw new IllegalArgumentException("maxSecondaryEntries: " + maxSecondaryEntries + " (expected: >= 1)");
        }
    }
}
