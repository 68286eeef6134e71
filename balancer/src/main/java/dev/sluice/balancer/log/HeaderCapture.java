package dev.sluice.balancer.log;

import java.util.Objects;

/** {@code capture request|response header NAME len N}: a header whose value (cut at {@code length}) is logged. */
public record HeaderCapture(String name, int length) {
    public HeaderCapture {
        Objects.requireNonNull(name, "name");
        if (length < 1) {
            throw new IllegalArgumentException("len: " + length + " (expected: >= 1)");
        }
    }
}
