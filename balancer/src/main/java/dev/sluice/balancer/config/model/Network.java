package dev.sluice.balancer.config.model;

import java.net.InetAddress;
import java.util.Objects;

/** An address block such as {@code 10.0.0.0/8}, as written after {@code option forwardfor except}. */
public record Network(InetAddress address, int prefixLength) {

    public Network {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length: " + prefixLength + " (expected: 0.." + bits + ")");
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
