package dev.sluice.balancer.config.model;

/** The {@code timeout} names we accept, each with the side of the proxy that reads it. */
public enum TimeoutKind {
    CLIENT("client", true, false),
    SERVER("server", false, true),
    CONNECT("connect", false, true),
    HTTP_REQUEST("http-request", true, true),
    HTTP_KEEP_ALIVE("http-keep-alive", true, true),
    QUEUE("queue", false, true),
    TUNNEL("tunnel", false, true),
    CLIENT_FIN("client-fin", true, false),
    SERVER_FIN("server-fin", false, true),
    CHECK("check", false, true),
    /** Not in HAProxy 2.6 (2.8 added it): the time allowed for the PROXY header. */
    CLIENT_HS("client-hs", true, false);

    private final String keyword;
    private final boolean frontendSide;
    private final boolean backendSide;

    TimeoutKind(String keyword, boolean frontendSide, boolean backendSide) {
        this.keyword = keyword;
        this.frontendSide = frontendSide;
        this.backendSide = backendSide;
    }

    public String keyword() {
        return keyword;
    }

    public boolean frontendSide() {
        return frontendSide;
    }

    public boolean backendSide() {
        return backendSide;
    }

    public static TimeoutKind byKeyword(String keyword) {
        for (TimeoutKind kind : values()) {
            if (kind.keyword.equals(keyword)) {
                return kind;
            }
        }
        return null;
    }
}
