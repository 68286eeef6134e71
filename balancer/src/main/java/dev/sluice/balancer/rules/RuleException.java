package dev.sluice.balancer.rules;

/** A rule line that cannot be compiled; the caller prefixes {@code file:line}. */
public final class RuleException extends RuntimeException {
    public RuleException(String message) {
        super(message);
    }
}
