package dev.sluice.balancer.config.model;

/** HTTP connection handling: {@code option http-keep-alive} (default), {@code http-server-close}, {@code httpclose}. */
public enum ConnectionMode {
    KEEP_ALIVE("http-keep-alive"),
    SERVER_CLOSE("http-server-close"),
    CLOSE("httpclose");

    private final String option;

    ConnectionMode(String option) {
        this.option = option;
    }

    public String option() {
        return option;
    }
}
