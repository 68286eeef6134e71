package dev.sluice.balancer.config.model;

import java.util.List;
import java.util.Objects;

/**
 * A proxy's access-log settings beyond {@code log} and {@code option httplog/tcplog}.
 *
 * @param requestCaptures  {@code capture request header NAME len N}, in file order
 * @param responseCaptures {@code capture response header NAME len N}, in file order
 * @param separateErrors   {@code option log-separate-errors}
 * @param logFormat        {@code log-format} as written, or null
 * @param logFormatAt      where that {@code log-format} line is (in this section or its defaults), or null
 * @param extras           unique id, structured data, error line and the dontlog-normal and logasap options
 * @param cookie           {@code capture cookie NAME len N} (NAME a prefix of the cookie's name), or null
 */
public record LogSettings(List<Capture> requestCaptures, List<Capture> responseCaptures, boolean separateErrors,
                          String logFormat, dev.sluice.balancer.config.SourceLocation logFormatAt, LogExtras extras,
                          Capture cookie) {

    public LogSettings(List<Capture> requestCaptures, List<Capture> responseCaptures, boolean separateErrors,
                       String logFormat, dev.sluice.balancer.config.SourceLocation logFormatAt, LogExtras extras) {
        this(requestCaptures, responseCaptures, separateErrors, logFormat, logFormatAt, extras, null);
    }
    public static final LogSettings NONE = new LogSettings(List.of(), List.of(), false, null);

    public LogSettings(List<Capture> requestCaptures, List<Capture> responseCaptures, boolean separateErrors,
                       String logFormat, dev.sluice.balancer.config.SourceLocation logFormatAt) {
        this(requestCaptures, responseCaptures, separateErrors, logFormat, logFormatAt, LogExtras.NONE);
    }

    public LogSettings(List<Capture> requestCaptures, List<Capture> responseCaptures, boolean separateErrors,
                       String logFormat) {
        this(requestCaptures, responseCaptures, separateErrors, logFormat, null);
    }

    /**
     * One capture slot: a header's name (null for a slot of {@code declare capture} or of an
     * {@code http-request capture … len N} rule) and the most characters kept.
     */
    public record Capture(String header, int length) {
        /** HAProxy refuses captures longer than its buffers; 64 KiB is far beyond any sane header. */
        public static final int MAX_LENGTH = 65_535;

        public Capture {
            if (length < 1 || length > MAX_LENGTH) {
                throw new IllegalArgumentException("len: " + length + " (expected: 1.." + MAX_LENGTH + ")");
            }
        }
    }

    public LogSettings {
        requestCaptures = List.copyOf(requestCaptures);
        responseCaptures = List.copyOf(responseCaptures);
        Objects.requireNonNull(extras, "extras");
    }
}
