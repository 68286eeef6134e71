package dev.sluice.balancer.config.model;

/** Whether connections to a server start with a PROXY header ({@code send-proxy}, {@code send-proxy-v2}). */
public enum SendProxy {
    NONE,
    V1,
    V2
}
