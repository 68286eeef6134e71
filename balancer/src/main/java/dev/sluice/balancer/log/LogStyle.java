package dev.sluice.balancer.log;

/** Which line a frontend logs: none (no {@code option httplog/tcplog}: HAProxy's minimal line is not kept), or a default format. */
public enum LogStyle {
    NONE,
    TCP,
    HTTP,
    HTTP_CLF
}
