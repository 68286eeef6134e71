package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;

/**
 * A proxy's log settings beyond the access line's own format (issue 9): the per-request unique
 * id, RFC 5424 structured data, the line of connection errors and the options that choose which
 * lines are written and when; for a backend, whether its health checks are logged. Each format is kept as written with the line it came from (maybe a
 * {@code defaults} section's), compiled later with the section's ACL engine.
 *
 * @param uniqueIdFormat  {@code unique-id-format}, or null
 * @param uniqueIdHeader  {@code unique-id-header}: the request header that carries the id to the server, or null
 * @param structuredData  {@code log-format-sd}, or null
 * @param errorFormat     {@code error-log-format}, or null
 * @param dontLogNormal   {@code option dontlog-normal}
 * @param logAsap         {@code option logasap}
 * @param logHealthChecks {@code option log-health-checks} (a backend's): every check that changes the health counter is logged
 */
public record LogExtras(Written uniqueIdFormat, String uniqueIdHeader, Written structuredData, Written errorFormat,
                        boolean dontLogNormal, boolean logAsap, boolean logHealthChecks) {
    public static final LogExtras NONE = new LogExtras(null, null, null, null, false, false, false);

    /** A format string and the line that set it. */
    public record Written(String text, SourceLocation at) {
        public Written {
            java.util.Objects.requireNonNull(text, "text");
            java.util.Objects.requireNonNull(at, "at");
        }
    }

    /** True when nothing is set: the frontend logs as before this record existed. */
    public boolean isEmpty() {
        return equals(NONE);
    }
}
