package dev.sluice.balancer.log;

/**
 * Which line a frontend logs: none (no {@code option httplog/tcplog}: HAProxy's minimal line is not
 * kept), a default format, or a {@code log-format} of its own ({@link AccessLogPlan#format()}).
 */
public enum LogStyle {
    NONE,
    TCP,
    HTTP,
    HTTP_CLF,
    CUSTOM
}
