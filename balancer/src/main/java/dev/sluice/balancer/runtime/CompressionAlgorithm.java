package dev.sluice.balancer.runtime;

/**
 * The algorithms of HAProxy 2.6's {@code compression algo}: the name written in the configuration
 * and the content-coding token a client names in {@code Accept-Encoding} and receives in
 * {@code Content-Encoding}. {@code raw-deflate} is deflate without the zlib wrapper, sent as
 * {@code deflate} (what some old browsers wrongly expected); {@code identity} changes nothing in the
 * body but the response still gets HAProxy's compression head (chunked, {@code Vary}).
 */
public enum CompressionAlgorithm {
    IDENTITY("identity", "identity"),
    GZIP("gzip", "gzip"),
    DEFLATE("deflate", "deflate"),
    RAW_DEFLATE("raw-deflate", "deflate");

    private final String configName;
    private final String token;

    CompressionAlgorithm(String configName, String token) {
        this.configName = configName;
        this.token = token;
    }

    /** The name in {@code compression algo}. */
    public String configName() {
        return configName;
    }

    /** The content-coding token in {@code Accept-Encoding} and {@code Content-Encoding}. */
    public String token() {
        return token;
    }

    /** The algorithm written {@code name} in a configuration, or null when there is none. */
    public static CompressionAlgorithm byConfigName(String name) {
        for (CompressionAlgorithm algorithm : values()) {
            if (algorithm.configName.equals(name)) {
                return algorithm;
            }
        }
        return null;
    }
}
