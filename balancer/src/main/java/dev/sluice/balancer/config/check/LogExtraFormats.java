package dev.sluice.balancer.config.check;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.LogExtras;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.log.LineFormat;
import dev.sluice.balancer.log.LogExtrasPlan;

/**
 * Compiles a frontend's {@code unique-id-format}, {@code log-format-sd} and {@code error-log-format}
 * with the section's ACL engine (their {@code %[sample]}s) and HTTP mode (HTTP's variables), as
 * {@code log-format} is. A refusal is an ALERT at the format's line, naming the frontend when the
 * line is a {@code defaults} section's.
 */
final class LogExtraFormats {

    private LogExtraFormats() {
    }

    static LogExtrasPlan compile(Proxy proxy, AclCompiler compiler, Diagnostics diagnostics) {
        LogExtras extras = proxy.logging().extras();
        return new LogExtrasPlan(
                compile("unique-id-format", extras.uniqueIdFormat(), proxy, compiler, diagnostics),
                extras.uniqueIdHeader(),
                compile("log-format-sd", extras.structuredData(), proxy, compiler, diagnostics),
                compile("error-log-format", extras.errorFormat(), proxy, compiler, diagnostics),
                extras.dontLogNormal(), extras.logAsap());
    }

    private static LineFormat compile(String keyword, LogExtras.Written written, Proxy proxy, AclCompiler compiler,
                                      Diagnostics diagnostics) {
        if (written == null) {
            return null;
        }
        try {
            return LineFormat.compile(written.text(), text -> compiler.sampleExpression(text, proxy.name()),
                    proxy.mode() == Mode.HTTP);
        } catch (RuntimeException e) {
            SourceLocation at = written.at();
            boolean inherited = !at.file().equals(proxy.location().file()) || at.line() < proxy.location().line();
            diagnostics.alert(at, "'" + keyword + "': " + e.getMessage()
                    + (inherited ? " (used by " + proxy.describe() + ")" : ""));
            return null;
        }
    }
}
