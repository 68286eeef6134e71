package dev.sluice.balancer.config.model;

/** The section that declared a proxy; {@code listen} has both capabilities. */
public enum ProxyKind {
    FRONTEND("frontend", true, false),
    BACKEND("backend", false, true),
    LISTEN("listen", true, true);

    private final String keyword;
    private final boolean frontend;
    private final boolean backend;

    ProxyKind(String keyword, boolean frontend, boolean backend) {
        this.keyword = keyword;
        this.frontend = frontend;
        this.backend = backend;
    }

    public String keyword() {
        return keyword;
    }

    public boolean isFrontend() {
        return frontend;
    }

    public boolean isBackend() {
        return backend;
    }
}
