package dev.sluice.balancer.config;

import dev.sluice.balancer.config.model.Global;
import java.util.List;

/**
 * {@code zero-warning}: a configuration that draws any warning is refused, as HAProxy refuses to
 * start then ("keep configs clean"). Notices stay notices.
 */
public final class ZeroWarning {

    static final String REFUSAL = "Some warnings were found and 'zero-warning' is set. Aborting.";

    private ZeroWarning() {
    }

    /** Adds the refusal to {@code diagnostics} when {@code global} asks for it and a warning was found. */
    static void apply(Global global, Diagnostics diagnostics) {
        if (global.extras().zeroWarning() && !diagnostics.hasAlerts() && diagnostics.list().stream()
                .anyMatch(d -> d.severity() == Diagnostic.Severity.WARNING)) {
            diagnostics.alert(null, REFUSAL);
        }
    }

    /**
     * The compiler's warnings (settings stored but not applied) count too: the refusal to print
     * after them, or null when the configuration may run.
     */
    public static Diagnostic refusal(Global global, List<Diagnostic> compilerWarnings) {
        boolean warned = compilerWarnings.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.WARNING);
        return global.extras().zeroWarning() && warned
                ? new Diagnostic(Diagnostic.Severity.ALERT, null, REFUSAL) : null;
    }
}
