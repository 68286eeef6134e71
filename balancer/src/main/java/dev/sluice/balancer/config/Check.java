package dev.sluice.balancer.config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code -c}: loads the configuration, prints every message (with the compiler's warnings about
 * settings not applied yet), and says whether it is valid, like {@code haproxy -c}.
 */
public final class Check {

    public static final int VALID = 0;
    public static final int INVALID = 1;

    private Check() {
    }

    /** Messages go to {@code err}, the verdict of a valid configuration to {@code out}; returns the exit status. */
    public static int run(List<Path> paths, PrintStream out, PrintStream err) {
        return report(ConfigLoader.load(paths), out, err);
    }

    public static int report(LoadResult result, PrintStream out, PrintStream err) {
        result.diagnostics().forEach(err::println);
        if (result.isValid()) {
            // The plan is built too, so that settings stored but not applied yet are named by -c as well.
            var warnings = Compiler.compile(result.config().orElseThrow()).warnings();
            warnings.forEach(err::println);
            Diagnostic zeroWarning = ZeroWarning.refusal(result.config().orElseThrow().global(), warnings);
            if (zeroWarning != null) {
                err.println(zeroWarning);
                err.println("[ALERT] config: Fatal errors found in configuration.");
                return INVALID;
            }
            out.println("Configuration file is valid");
            return VALID;
        }
        err.println("[ALERT] config: Fatal errors found in configuration.");
        return INVALID;
    }
}
