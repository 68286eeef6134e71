package dev.sluice.balancer.runtime;

/**
 * What a {@code server} line's {@code proto} names: the protocol spoken on its connections. HTTP/1.1
 * is the default (HAProxy's {@code h1} mux); {@code h2} is clear-text HTTP/2 with prior knowledge,
 * many requests as streams of a few shared connections.
 */
public enum ServerProtocol {
    HTTP1("h1"),
    H2("h2");

    private final String keyword;

    ServerProtocol(String keyword) {
        this.keyword = keyword;
    }

    /** The word after {@code proto}. */
    public String keyword() {
        return keyword;
    }

    /** The protocol named {@code word}, or null when HAProxy 2.6 has no such server mux. */
    public static ServerProtocol of(String word) {
        for (ServerProtocol protocol : values()) {
            if (protocol.keyword.equals(word)) {
                return protocol;
            }
        }
        return null;
    }
}
