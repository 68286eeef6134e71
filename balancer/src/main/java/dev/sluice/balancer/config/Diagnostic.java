package dev.sluice.balancer.config;

import java.util.Objects;

/**
 * One message about the configuration, printed the way HAProxy users read them:
 * {@code [ALERT] file:line: message}. The location is absent for messages about the whole configuration.
 */
public record Diagnostic(Severity severity, SourceLocation location, String message) {

    /** ALERT refuses the configuration; WARNING and NOTICE do not. */
    public enum Severity { ALERT, WARNING, NOTICE }

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public boolean isFatal() {
        return severity == Severity.ALERT;
    }

    @Override
    public String toString() {
        String where = location == null ? "config" : location.toString();
        return "[" + severity + "] " + where + ": " + message;
    }
}
