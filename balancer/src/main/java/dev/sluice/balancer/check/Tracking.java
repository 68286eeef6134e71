package dev.sluice.balancer.check;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import dev.sluice.balancer.runtime.HealthSources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code track}: which servers follow which checked server. Each tracking server follows the server at the end
 * of its chain (the configuration checked that the chain ends at a checked server and does not loop); when that
 * server goes UP or DOWN, its followers go too, each backend's server set is rebuilt and the change is logged.
 */
final class Tracking {
    private record Follower(Backend backend, Server server, String via) {
    }

    private final Map<Server, List<Follower>> followers = new HashMap<>();

    /** Resolves every {@code track} of {@code backends} and aligns the followers with their root now. */
    static Tracking resolve(Collection<Backend> backends) {
        Map<String, Backend> byName = new HashMap<>();
        backends.forEach(b -> byName.put(b.name(), b));
        Tracking tracking = new Tracking();
        for (Backend backend : backends) {
            for (Server server : backend.servers()) {
                HealthSources.Track track = server.plan().health().sources().track();
                if (track == null) {
                    continue;
                }
                Server root = root(byName, backend, track);
                if (root != null) {
                    String via = track.describe(backend.name());
                    server.state().track(root.state(), via);
                    tracking.followers.computeIfAbsent(root, r -> new ArrayList<>())
                            .add(new Follower(backend, server, via));
                }
            }
        }
        return tracking;
    }

    /** The end of the chain that starts with {@code track}, null if a link is missing (bounded by the server count). */
    private static Server root(Map<String, Backend> byName, Backend from, HealthSources.Track track) {
        Backend backend = from;
        HealthSources.Track next = track;
        Server server = null;
        int servers = byName.values().stream().mapToInt(b -> b.servers().size()).sum();
        for (int hops = 0; next != null && hops <= servers; hops++) {
            backend = next.backend() == null ? backend : byName.get(next.backend());
            if (backend == null) {
                return null;
            }
            String name = next.server();
            server = backend.servers().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
            if (server == null) {
                return null;
            }
            next = server.plan().health().sources().track();
        }
        return next == null ? server : null;
    }

    boolean isEmpty() {
        return followers.isEmpty();
    }

    /** {@code root} changed state: its followers take it. */
    void propagate(Server root) {
        for (Follower follower : followers.getOrDefault(root, List.of())) {
            ServerState.Transition transition = follower.server().state().follow();
            if (transition != ServerState.Transition.NONE) {
                follower.backend().refresh();
                if (transition == ServerState.Transition.WENT_UP) {
                    TransitionLog.online(follower.backend(), follower.server(), "is UP via " + follower.via(), true);
                } else {
                    TransitionLog.admin(follower.backend(), follower.server(), "is DOWN via " + follower.via());
                }
            }
        }
    }
}
