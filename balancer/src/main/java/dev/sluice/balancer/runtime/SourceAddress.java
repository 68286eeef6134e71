package dev.sluice.balancer.runtime;

import java.net.InetSocketAddress;

/**
 * {@code source ADDR[:PORT]} of a backend, {@code default-server} or {@code server}: the local
 * address that connections to the server are bound to before they connect (port 0: any).
 *
 * @param local the address to bind, or null to let the kernel choose (no {@code source})
 */
public record SourceAddress(InetSocketAddress local) {

    public static final SourceAddress NONE = new SourceAddress(null);

    public SourceAddress {
        if (local != null && local.isUnresolved()) {
            throw new IllegalArgumentException("source: " + local + " (expected: a numeric address)");
        }
    }

    public boolean isSet() {
        return local != null;
    }
}
