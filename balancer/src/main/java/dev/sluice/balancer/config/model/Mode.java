package dev.sluice.balancer.config.model;

/** {@code mode http|tcp}. */
public enum Mode {
    HTTP("http"),
    TCP("tcp");

    private final String keyword;

    Mode(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
