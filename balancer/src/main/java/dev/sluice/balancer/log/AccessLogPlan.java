package dev.sluice.balancer.log;

import java.util.List;
import java.util.Objects;

/**
 * What a frontend logs and where: one line per HTTP request or TCP connection in {@code style},
 * sent to every sink.
 *
 * @param style       the line's format ({@code option httplog [clf]}, {@code option tcplog})
 * @param dontLogNull {@code option dontlognull}: connections that sent nothing are not logged
 * @param separateErrors {@code option log-separate-errors}: failed exchanges are logged at err
 * @param tag         {@code log-tag} (the syslog program name), HAProxy's default "haproxy"
 * @param requestCaptures  request headers shown in httplog's first {…}
 * @param responseCaptures response headers shown in httplog's second {…}
 * @param format      the compiled {@code log-format} when {@code style} is {@link LogStyle#CUSTOM}, else null
 * @param extras      unique id, structured data, error line, dontlog-normal and logasap
 * @param cookie      {@code capture cookie}: the cookie name prefix and the most characters kept
 *                    ({@code %CC}, {@code %CS}), or null
 */
public record AccessLogPlan(LogStyle style, List<LogSink> sinks, boolean dontLogNull, boolean separateErrors,
                            String tag, List<HeaderCapture> requestCaptures, List<HeaderCapture> responseCaptures,
                            LineFormat format, LogExtrasPlan extras, HeaderCapture cookie) {

    public AccessLogPlan(LogStyle style, List<LogSink> sinks, boolean dontLogNull, boolean separateErrors,
                         String tag, List<HeaderCapture> requestCaptures, List<HeaderCapture> responseCaptures,
                         LineFormat format, LogExtrasPlan extras) {
        this(style, sinks, dontLogNull, separateErrors, tag, requestCaptures, responseCaptures, format, extras, null);
    }

    public AccessLogPlan(LogStyle style, List<LogSink> sinks, boolean dontLogNull, boolean separateErrors,
                         String tag, List<HeaderCapture> requestCaptures, List<HeaderCapture> responseCaptures,
                         LineFormat format) {
        this(style, sinks, dontLogNull, separateErrors, tag, requestCaptures, responseCaptures, format,
                LogExtrasPlan.NONE);
    }

    public AccessLogPlan(LogStyle style, List<LogSink> sinks, boolean dontLogNull, boolean separateErrors,
                         String tag, List<HeaderCapture> requestCaptures, List<HeaderCapture> responseCaptures) {
        this(style, sinks, dontLogNull, separateErrors, tag, requestCaptures, responseCaptures, null);
    }

    public AccessLogPlan(LogStyle style, List<LogSink> sinks, boolean dontLogNull, boolean separateErrors, String tag) {
        this(style, sinks, dontLogNull, separateErrors, tag, List.of(), List.of());
    }
    public static final String DEFAULT_TAG = "haproxy";
    public static final AccessLogPlan NONE = new AccessLogPlan(LogStyle.NONE, List.of(), false, false, DEFAULT_TAG);

    public AccessLogPlan {
        Objects.requireNonNull(style, "style");
        sinks = List.copyOf(sinks);
        Objects.requireNonNull(tag, "tag");
        requestCaptures = List.copyOf(requestCaptures);
        responseCaptures = List.copyOf(responseCaptures);
        Objects.requireNonNull(extras, "extras");
        if ((style == LogStyle.CUSTOM) != (format != null)) {
            throw new IllegalArgumentException("format: " + format + " (expected: a format exactly for style CUSTOM, got "
                    + style + ")");
        }
    }

    /** True when lines are written at all: a format and somewhere to send it. */
    public boolean enabled() {
        return style != LogStyle.NONE && !sinks.isEmpty();
    }
}
