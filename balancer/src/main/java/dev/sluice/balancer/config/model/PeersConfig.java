package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.runtime.PeersPlan;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code peers} sections, resolved against the local peer's name.
 *
 * @param declared every section name, the removed ones included (a table naming one stays local)
 * @param active   the sections this process takes part in: enabled and naming the local peer
 */
public record PeersConfig(Set<String> declared, List<Section> active) {

    public static final PeersConfig NONE = new PeersConfig(Set.of(), List.of());

    public PeersConfig {
        declared = Set.copyOf(declared);
        active = List.copyOf(active);
    }

    /** A section this process takes part in. */
    public record Section(SourceLocation location, String name, String localName, InetSocketAddress listen,
                          List<PeersPlan.Remote> remotes) {
        public Section {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(localName, "localName");
            Objects.requireNonNull(listen, "listen");
            remotes = List.copyOf(remotes);
        }
    }

    /** What the engine runs. */
    public PeersPlan plan() {
        return new PeersPlan(active.stream()
                .map(s -> new PeersPlan.Section(s.name(), s.localName(), s.listen(), s.remotes())).toList());
    }
}
