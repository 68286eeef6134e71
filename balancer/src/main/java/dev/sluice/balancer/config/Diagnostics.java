package dev.sluice.balancer.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every message of one load, so that all errors are reported together rather than only the first. */
public final class Diagnostics {

    private final List<Diagnostic> all = new ArrayList<>();

    public void alert(SourceLocation where, String message) {
        all.add(new Diagnostic(Diagnostic.Severity.ALERT, where, message));
    }

    public void warning(SourceLocation where, String message) {
        all.add(new Diagnostic(Diagnostic.Severity.WARNING, where, message));
    }

    public void notice(SourceLocation where, String message) {
        all.add(new Diagnostic(Diagnostic.Severity.NOTICE, where, message));
    }

    public boolean hasAlerts() {
        return all.stream().anyMatch(Diagnostic::isFatal);
    }

    public List<Diagnostic> list() {
        return List.copyOf(all);
    }
}
