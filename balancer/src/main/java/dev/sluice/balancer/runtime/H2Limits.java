package dev.sluice.balancer.runtime;

/**
 * What an HTTP/2 client connection may use, announced in our SETTINGS frame and enforced by the
 * codec (RFC 9113 §6.5.2). The header list limit is {@code tune.bufsize}, as for HTTP/1.1 heads.
 *
 * @param maxConcurrentStreams {@code tune.h2.max-concurrent-streams}: streams open at once
 * @param initialWindowSize    {@code tune.h2.initial-window-size}: bytes a client may send on a
 *                             stream before we read them; bounds what one stalled stream buffers
 * @param maxFrameSize         {@code tune.h2.max-frame-size}: the largest frame payload we accept
 * @param headerTableSize      {@code tune.h2.header-table-size}: the HPACK dynamic table we keep
 */
public record H2Limits(int maxConcurrentStreams, int initialWindowSize, int maxFrameSize, int headerTableSize) {

    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;
    /** RFC 9113 §6.9.2's default, so a client that never reads SETTINGS still agrees with us. */
    public static final int DEFAULT_INITIAL_WINDOW_SIZE = 65_535;
    /** RFC 9113 §4.2: the smallest value a peer must accept, and its range. */
    public static final int MIN_FRAME_SIZE = 16_384;
    public static final int MAX_FRAME_SIZE = 16_777_215;
    public static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;
    public static final int DEFAULT_HEADER_TABLE_SIZE = 4_096;
    /** HAProxy's range for its own streams setting. */
    public static final int MAX_STREAMS = 1_000_000;

    public static final H2Limits DEFAULTS = new H2Limits(DEFAULT_MAX_CONCURRENT_STREAMS,
            DEFAULT_INITIAL_WINDOW_SIZE, MIN_FRAME_SIZE, DEFAULT_HEADER_TABLE_SIZE);

    public H2Limits {
        if (maxConcurrentStreams < 1 || maxConcurrentStreams > MAX_STREAMS) {
            throw new IllegalArgumentException("tune.h2.max-concurrent-streams: " + maxConcurrentStreams
                    + " (expected: 1.." + MAX_STREAMS + ")");
        }
        if (initialWindowSize < 1) {
            throw new IllegalArgumentException("tune.h2.initial-window-size: " + initialWindowSize
                    + " (expected: 1.." + MAX_WINDOW_SIZE + ")");
        }
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("tune.h2.max-frame-size: " + maxFrameSize
                    + " (expected: " + MIN_FRAME_SIZE + ".." + MAX_FRAME_SIZE + ")");
        }
        if (headerTableSize < 0) {
            throw new IllegalArgumentException("tune.h2.header-table-size: " + headerTableSize + " (expected: >= 0)");
        }
    }

    public H2Limits withMaxConcurrentStreams(int value) {
        return new H2Limits(value, initialWindowSize, maxFrameSize, headerTableSize);
    }

    public H2Limits withInitialWindowSize(int value) {
        return new H2Limits(maxConcurrentStreams, value, maxFrameSize, headerTableSize);
    }

    public H2Limits withMaxFrameSize(int value) {
        return new H2Limits(maxConcurrentStreams, initialWindowSize, value, headerTableSize);
    }

    public H2Limits withHeaderTableSize(int value) {
        return new H2Limits(maxConcurrentStreams, initialWindowSize, maxFrameSize, value);
    }
}
