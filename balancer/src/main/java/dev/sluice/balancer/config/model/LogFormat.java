package dev.sluice.balancer.config.model;

/** The access log format chosen by {@code option httplog [clf]} or {@code option tcplog}. */
public enum LogFormat {
    DEFAULT,
    HTTP,
    HTTP_CLF,
    TCP
}
