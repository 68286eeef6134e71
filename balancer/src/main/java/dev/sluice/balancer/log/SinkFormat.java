package dev.sluice.balancer.log;

/** The {@code format} of a {@code log} target: what goes before the line (see {@link SinkHeader}). */
public enum SinkFormat {
    RFC3164,
    RFC5424,
    RAW,
    SHORT,
    ISO,
    LOCAL,
    PRIORITY,
    TIMED;

    static SinkFormat of(String keyword) {
        return valueOf(keyword.toUpperCase(java.util.Locale.ROOT));
    }
}
