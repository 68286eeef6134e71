package dev.sluice.balancer.config;

import dev.sluice.balancer.config.model.Config;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of loading a configuration: the model when there was no ALERT, and every message
 * (alerts, warnings, notices) in the order they were found.
 */
public record LoadResult(Optional<Config> config, List<Diagnostic> diagnostics) {

    public LoadResult {
        Objects.requireNonNull(config, "config");
        diagnostics = List.copyOf(diagnostics);
        if (config.isPresent() && diagnostics.stream().anyMatch(Diagnostic::isFatal)) {
            throw new IllegalArgumentException("config: present although an ALERT was reported");
        }
        if (config.isEmpty() && diagnostics.stream().noneMatch(Diagnostic::isFatal)) {
            throw new IllegalArgumentException("config: absent without any ALERT");
        }
    }

    public boolean isValid() {
        return config.isPresent();
    }

    public List<Diagnostic> alerts() {
        return diagnostics.stream().filter(Diagnostic::isFatal).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.WARNING).toList();
    }

    /** Every message, one per line, as printed by {@code -c}. */
    public String render() {
        StringBuilder text = new StringBuilder();
        diagnostics.forEach(d -> text.append(d).append('\n'));
        return text.toString();
    }
}
