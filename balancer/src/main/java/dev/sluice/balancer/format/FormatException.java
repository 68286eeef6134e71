package dev.sluice.balancer.format;

/** A log-format string that cannot be compiled; the message names the string and the problem. */
public final class FormatException extends RuntimeException {
    public FormatException(String message) {
        super(message);
    }
}
