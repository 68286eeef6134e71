package dev.sluice.balancer.config.model;

/**
 * The access log format chosen by {@code option httplog [clf]}, {@code option tcplog}, or a
 * {@code log-format} of one's own ({@code CUSTOM}, its text in {@link LogSettings#logFormat()}).
 */
public enum LogFormat {
    DEFAULT,
    HTTP,
    HTTP_CLF,
    TCP,
    CUSTOM
}
