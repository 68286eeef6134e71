package dev.sluice.balancer.log;

/**
 * A capture slot: {@code capture request|response header NAME len N}, a header whose value (cut at
 * {@code length}) is logged; or, with a null name, a slot that {@code declare capture} or
 * {@code http-request capture … len N} made, filled by {@code http-request|http-response capture}.
 */
public record HeaderCapture(String name, int length) {
    public HeaderCapture {
        if (length < 1) {
            throw new IllegalArgumentException("len: " + length + " (expected: >= 1)");
        }
    }
}
