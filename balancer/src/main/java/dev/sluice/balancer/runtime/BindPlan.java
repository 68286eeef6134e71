package dev.sluice.balancer.runtime;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * One {@code bind} address of a frontend.
 *
 * @param address     an {@link InetSocketAddress} (wildcard allowed, port 0 picks a free one) or a
 *                    {@link UnixDomainSocketAddress} for {@code unix@/path}
 * @param acceptProxy {@code accept-proxy}: every connection starts with a PROXY v1/v2 header
 * @param maxconn     connections accepted at once on this bind; 0 means only the frontend's limit
 * @param name        {@code name}, or {@code null}
 * @param h2c         {@code proto h2}: clients speak HTTP/2 in clear with prior knowledge (RFC 9113
 *                    §3.3); otherwise HTTP/1.1, or HTTP/2 when the PROXY header's ALPN says {@code h2}
 * @param socket      the listening socket's settings (backlog, defer-accept, tfo, …)
 */
public record BindPlan(SocketAddress address, boolean acceptProxy, int maxconn, String name, boolean h2c,
                       BindSocket socket) {

    public BindPlan(SocketAddress address, boolean acceptProxy, int maxconn, String name) {
        this(address, acceptProxy, maxconn, name, false);
    }

    public BindPlan(SocketAddress address, boolean acceptProxy, int maxconn, String name, boolean h2c) {
        this(address, acceptProxy, maxconn, name, h2c, BindSocket.DEFAULT);
    }

    public BindPlan {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("address: " + address + " (expected: IP:PORT or a unix socket path)");
        }
        Objects.requireNonNull(socket, "socket");
        if (maxconn < 0) {
            throw new IllegalArgumentException("maxconn: " + maxconn + " (expected: >= 0)");
        }
    }

    public static BindPlan of(SocketAddress address) {
        return new BindPlan(address, false, 0, null);
    }
}
