package dev.sluice.balancer.runtime;

import java.util.Objects;

/**
 * Passive health: {@code observe layer4|layer7}, {@code error-limit N} and {@code on-error ACTION} of a
 * server. Live traffic to the server is judged as it goes; {@code errorLimit} consecutive errors
 * trigger {@code onError}, as if a health check had said so.
 *
 * @param layer      what is judged, or {@link Layer#NONE} when traffic is not observed
 * @param errorLimit consecutive errors that trigger the action (HAProxy's default is 10)
 * @param onError    what those errors do to the server's health
 */
public record ServerObserve(Layer layer, int errorLimit, OnError onError) {

    public static final int DEFAULT_ERROR_LIMIT = 10;
    public static final ServerObserve NONE = new ServerObserve(Layer.NONE, DEFAULT_ERROR_LIMIT, OnError.FAIL_CHECK);

    /** What counts: connections only, or connections and HTTP responses. */
    public enum Layer { NONE, LAYER4, LAYER7 }

    /** HAProxy's {@code on-error} actions; every one also brings the next check forward to {@code fastinter}. */
    public enum OnError {
        FASTINTER("fastinter"),
        FAIL_CHECK("fail-check"),
        SUDDEN_DEATH("sudden-death"),
        MARK_DOWN("mark-down");

        private final String keyword;

        OnError(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        /** The action named {@code keyword}, or null. */
        public static OnError of(String keyword) {
            for (OnError action : values()) {
                if (action.keyword.equals(keyword)) {
                    return action;
                }
            }
            return null;
        }
    }

    /**
     * One event seen on live traffic, with HAProxy's words for it and how each layer judges it
     * (true: an error, false: a success that clears the count, null: not looked at).
     */
    public enum Event {
        CONNECTED("L4 successful connection", false, null),
        CONNECT_FAILED("L4 unsuccessful connection", true, true),
        HTTP_OK("Correct http response", null, false),
        HTTP_BAD_STATUS("Wrong http response", null, true),
        HTTP_INVALID("Invalid http response", null, true),
        HTTP_READ_TIMEOUT("Read timeout (http)", null, true),
        HTTP_CLOSED("Close from server (http)", null, true);

        private final String description;
        private final Boolean layer4;
        private final Boolean layer7;

        Event(String description, Boolean layer4, Boolean layer7) {
            this.description = description;
            this.layer4 = layer4;
            this.layer7 = layer7;
        }

        public String description() {
            return description;
        }

        /** True for an error, false for a success, null when {@code layer} ignores this event. */
        public Boolean judgedBy(Layer layer) {
            return switch (layer) {
                case NONE -> null;
                case LAYER4 -> layer4;
                case LAYER7 -> layer7;
            };
        }

        /** A response status as layer 7 judges it: 5xx are errors except 501 and 505, as in HAProxy. */
        public static Event ofStatus(int status) {
            return status >= 500 && status != 501 && status != 505 ? HTTP_BAD_STATUS : HTTP_OK;
        }
    }

    public ServerObserve {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(onError, "onError");
        if (errorLimit < 1) {
            throw new IllegalArgumentException("errorLimit: " + errorLimit + " (expected: >= 1)");
        }
    }

    public boolean enabled() {
        return layer != Layer.NONE;
    }
}
