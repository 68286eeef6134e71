package dev.sluice.balancer.config.model;

import java.net.InetAddress;
import java.util.Objects;

/** A server's numeric address and port (hostnames would need DNS at load time, which we do not do yet). */
public record ServerAddress(InetAddress address, int port) {

    public ServerAddress {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
    }
}
