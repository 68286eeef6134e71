package dev.sluice.balancer.config.model;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A server's numeric address and port at start. Port 0 only for a server found by an SRV record, whose
 * port comes with the answer; the any-address ({@code 0.0.0.0}) for a server that starts without one
 * ({@code init-addr none}).
 */
public record ServerAddress(InetAddress address, int port) {

    public ServerAddress {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
    }
}
