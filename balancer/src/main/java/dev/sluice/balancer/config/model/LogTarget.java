package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * {@code log global} or {@code log TARGET [len N] [format F] FACILITY [LEVEL [MINLEVEL]]}, stored as
 * written; the visibility issue interprets it.
 */
public record LogTarget(SourceLocation location, String target, List<String> args) {

    public static final String GLOBAL = "global";

    public LogTarget {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(target, "target");
        args = List.copyOf(args);
    }

    public boolean isGlobal() {
        return target.equals(GLOBAL);
    }
}
