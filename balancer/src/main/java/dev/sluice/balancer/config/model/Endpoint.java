package dev.sluice.balancer.config.model;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;

/** One listening address of a {@code bind} line. */
public sealed interface Endpoint {

    /**
     * {@code ADDR:PORT} or {@code ADDR:LOW-HIGH}; {@code *} and an empty address become IPv4's
     * wildcard {@code 0.0.0.0} as in HAProxy ({@code [::]} or {@code :::PORT} is written explicitly).
     */
    record Inet(InetAddress address, int portLow, int portHigh) implements Endpoint {
        public Inet {
            Objects.requireNonNull(address, "address");
            if (portLow < 1 || portHigh > 65_535 || portLow > portHigh) {
                throw new IllegalArgumentException("ports: " + portLow + "-" + portHigh + " (expected: 1..65535, low <= high)");
            }
        }

        public boolean isRange() {
            return portLow != portHigh;
        }
    }

    /** {@code unix@/path} or a plain absolute path. */
    record Unix(Path path) implements Endpoint {
        public Unix {
            Objects.requireNonNull(path, "path");
        }
    }
}
