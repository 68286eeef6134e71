package dev.sluice.balancer.runtime;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The {@code peers} sections this process takes part in: for each, the name this process goes by
 * ({@code -L}, {@code localpeer} or the host name), where it listens, and the remote peers it
 * connects to. A section that is {@code disabled}, or that does not name the local peer, is absent:
 * its tables stay local, as in HAProxy.
 */
public record PeersPlan(List<Section> sections) {

    public static final PeersPlan NONE = new PeersPlan(List.of());

    public PeersPlan {
        sections = List.copyOf(sections);
    }

    /** One {@code peers} section, seen from the local peer. */
    public record Section(String name, String localName, InetSocketAddress listen, List<Remote> remotes) {
        public Section {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(localName, "localName");
            Objects.requireNonNull(listen, "listen");
            remotes = List.copyOf(remotes);
        }
    }

    /** A remote {@code peer NAME ADDR:PORT} (or {@code server NAME ADDR:PORT}). */
    public record Remote(String name, InetSocketAddress address) {
        public Remote {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
        }
    }

    public boolean isEmpty() {
        return sections.isEmpty();
    }
}
