package dev.sluice.balancer.log;

/**
 * A frontend's access-log settings beyond the line format (issue 9), compiled.
 *
 * @param uniqueId       {@code unique-id-format}: the request's id (%ID, the {@code unique-id} fetch), or null
 * @param uniqueIdHeader {@code unique-id-header}: the request header that carries the id to the server, or null
 * @param structuredData {@code log-format-sd}: RFC 5424 structured data, written by {@code format rfc5424} sinks only; or null
 * @param errorFormat    {@code error-log-format}: the line of connection-level errors, or null for the usual line
 * @param dontLogNormal  {@code option dontlog-normal}: only exchanges with an error, a retry or a 5xx are logged
 * @param logAsap        {@code option logasap}: the line is written at the response head (at the server
 *                       connection in mode tcp), {@code +} before the byte count and the totals that go on
 */
public record LogExtrasPlan(LineFormat uniqueId, String uniqueIdHeader, LineFormat structuredData,
                            LineFormat errorFormat, boolean dontLogNormal, boolean logAsap) {
    public static final LogExtrasPlan NONE = new LogExtrasPlan(null, null, null, null, false, false);

    public LogExtrasPlan {
        // HAProxy accepts a unique-id-header without a format and sends nothing: so do we.
        if (uniqueId == null) {
            uniqueIdHeader = null;
        }
    }

    /** True when a format shows {@code %rt}: the frontend's requests then take numbers of the process counter. */
    boolean countsRequests() {
        return counts(uniqueId) || counts(structuredData) || counts(errorFormat);
    }

    /** True when a format reads {@code %[sample]}s, which need the connection's facts. */
    boolean readsSamples() {
        return samples(uniqueId) || samples(structuredData) || samples(errorFormat);
    }

    private static boolean counts(LineFormat format) {
        return format != null && format.countsRequests();
    }

    private static boolean samples(LineFormat format) {
        return format != null && format.readsSamples();
    }
}
