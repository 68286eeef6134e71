package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.dispatch.RetryOn;
import java.util.List;
import java.util.Objects;

/**
 * A backend's {@code retry-on}, {@code option redispatch N}, {@code option persist} and its
 * {@code use-server}, {@code force-persist} and {@code ignore-persist} lines (their conditions are
 * compiled with the section's ACLs in {@code config.check.Conditions}).
 *
 * @param redispatchAfter {@code option redispatch N}; -1 without N (the last retry)
 * @param rules           use-server, force-persist and ignore-persist lines in file order
 */
public record DispatchLines(RetryOn retryOn, int redispatchAfter, boolean persist, List<Line> rules) {

    public static final DispatchLines DEFAULTS = new DispatchLines(RetryOn.DEFAULT, -1, false, List.of());

    public DispatchLines {
        Objects.requireNonNull(retryOn, "retryOn");
        rules = List.copyOf(rules);
    }

    public enum Kind {
        USE_SERVER("use-server"),
        FORCE_PERSIST("force-persist"),
        IGNORE_PERSIST("ignore-persist");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** One line; {@code server} is the server of a use-server line, null for the others. */
    public record Line(SourceLocation location, Kind kind, String server, Condition condition) {
        public Line {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(condition, "condition");
            if ((kind == Kind.USE_SERVER) != (server != null)) {
                throw new IllegalArgumentException(kind.keyword() + ": server " + server);
            }
        }

        /** How messages name this line. */
        public String describe() {
            return kind.keyword() + (server == null ? "" : " " + server);
        }
    }
}
