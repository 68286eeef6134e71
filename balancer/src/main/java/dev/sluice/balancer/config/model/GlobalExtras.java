package dev.sluice.balancer.config.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code global} keywords about loading the configuration itself.
 *
 * @param baseDirectory where relative file names (errorfile, acl -f, map, lf-file…) resolve, an
 *                      absolute path: the working directory unless {@code default-path} says otherwise
 * @param zeroWarning   {@code zero-warning}: any warning refuses the configuration
 * @param logHostname   {@code log-send-hostname [NAME]}: the host name written in syslog headers
 *                      (the system's when no name is given), or null to leave it out
 */
public record GlobalExtras(Path baseDirectory, boolean zeroWarning, String logHostname) {

    public GlobalExtras(Path baseDirectory, boolean zeroWarning) {
        this(baseDirectory, zeroWarning, null);
    }

    public GlobalExtras {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        if (!baseDirectory.isAbsolute()) {
            throw new IllegalArgumentException("baseDirectory: " + baseDirectory + " (expected: an absolute path)");
        }
        if (logHostname != null && (logHostname.isEmpty() || logHostname.chars().anyMatch(c -> c <= ' '))) {
            throw new IllegalArgumentException("logHostname: '" + logHostname + "' (expected: a name without spaces)");
        }
    }

    /** The working directory, no zero-warning: what a global section without these keywords means. */
    public static GlobalExtras defaults() {
        return new GlobalExtras(Path.of("").toAbsolutePath(), false);
    }
}
