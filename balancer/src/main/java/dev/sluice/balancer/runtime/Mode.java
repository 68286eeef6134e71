package dev.sluice.balancer.runtime;

/** How a frontend or backend treats its bytes: HTTP/1.1 messages or an opaque TCP stream. */
public enum Mode {
    HTTP,
    TCP
}
