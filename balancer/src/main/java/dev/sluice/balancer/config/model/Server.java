package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.util.Objects;

/**
 * {@code server NAME ADDR:PORT [options…]}.
 *
 * @param id HAProxy's numeric id, 0 when not given (the position decides)
 */
public record Server(SourceLocation location, String name, ServerAddress address, int id, ServerOptions options) {

    public Server {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: empty");
        }
        if (id < 0) {
            throw new IllegalArgumentException("id: " + id + " (expected: >= 0)");
        }
    }
}
