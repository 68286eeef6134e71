package dev.sluice.balancer.config;

import java.util.Objects;

/** Where a configuration element was written: the file as given on the command line, and a 1-based line. */
public record SourceLocation(String file, int line) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
        if (line < 1) {
            throw new IllegalArgumentException("line: " + line + " (expected: >= 1)");
        }
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
