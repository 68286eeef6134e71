package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.runtime.BindSocket;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code bind ADDR[,ADDR…] [accept-proxy] [maxconn N] [name NAME] [proto NAME]}.
 *
 * @param maxconn 0 when not set (the frontend's limit applies)
 * @param proto   the mux named by {@code proto}: h1 or h2 (HTTP/2 in clear with prior knowledge)
 * @param socket  backlog, defer-accept, tfo, transparent, tcp-ut, and a UNIX socket's mode and owner
 */
public record Bind(SourceLocation location, List<Endpoint> endpoints, boolean acceptProxy, int maxconn,
                   Optional<String> name, Optional<String> proto, BindSocket socket) {

    public Bind(SourceLocation location, List<Endpoint> endpoints, boolean acceptProxy, int maxconn,
                Optional<String> name, Optional<String> proto) {
        this(location, endpoints, acceptProxy, maxconn, name, proto, BindSocket.DEFAULT);
    }

    public Bind {
        Objects.requireNonNull(location, "location");
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: empty (expected: at least one address)");
        }
        if (maxconn < 0) {
            throw new IllegalArgumentException("maxconn: " + maxconn + " (expected: >= 0)");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(proto, "proto");
        Objects.requireNonNull(socket, "socket");
    }
}
