package dev.sluice.balancer.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the engine needs to run, compiled from a configuration: plain immutable values with
 * no knowledge of the syntax they came from. Cross-references are checked here so the engine
 * never meets a dangling name.
 */
public record RuntimePlan(GlobalPlan global, List<FrontendPlan> frontends, List<BackendPlan> backends,
                          StatsPlan stats, List<dev.sluice.balancer.stick.TableSpec> stickTables, PeersPlan peers,
                          dev.sluice.balancer.acl.PatternRefs patterns,
                          java.util.Map<String, dev.sluice.balancer.cache.ObjectCache> caches) {

    /** A plan without {@code cache} sections for {@code show cache}. */
    public RuntimePlan(GlobalPlan global, List<FrontendPlan> frontends, List<BackendPlan> backends,
                       StatsPlan stats, List<dev.sluice.balancer.stick.TableSpec> stickTables, PeersPlan peers,
                       dev.sluice.balancer.acl.PatternRefs patterns) {
        this(global, frontends, backends, stats, stickTables, peers, patterns, java.util.Map.of());
    }

    /** A plan whose stick tables are all local ({@code peers} sections: none). */
    public RuntimePlan(GlobalPlan global, List<FrontendPlan> frontends, List<BackendPlan> backends,
                       StatsPlan stats, List<dev.sluice.balancer.stick.TableSpec> stickTables) {
        this(global, frontends, backends, stats, stickTables, PeersPlan.NONE);
    }

    /** A plan whose pattern and map lists the runtime API cannot reach. */
    public RuntimePlan(GlobalPlan global, List<FrontendPlan> frontends, List<BackendPlan> backends,
                       StatsPlan stats, List<dev.sluice.balancer.stick.TableSpec> stickTables, PeersPlan peers) {
        this(global, frontends, backends, stats, stickTables, peers, dev.sluice.balancer.acl.PatternRefs.none());
    }

    /** A plan without stats sockets or stick tables; the stats tables list frontends, then backends. */
    public RuntimePlan(GlobalPlan global, List<FrontendPlan> frontends, List<BackendPlan> backends) {
        this(global, frontends, backends, StatsPlan.NONE, List.of(), PeersPlan.NONE);
    }

    /** A plan without stick tables. */
    public RuntimePlan(GlobalPlan global, List<FrontendPlan> frontends, List<BackendPlan> backends,
                       StatsPlan stats) {
        this(global, frontends, backends, stats, List.of(), PeersPlan.NONE);
    }

    public RuntimePlan {
        Objects.requireNonNull(global, "global");
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        Objects.requireNonNull(stats, "stats");
        stickTables = List.copyOf(stickTables);
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(patterns, "patterns");
        caches = java.util.Map.copyOf(caches);
        Map<String, BackendPlan> byName = new HashMap<>();
        for (BackendPlan backend : backends) {
            if (byName.putIfAbsent(backend.name(), backend) != null) {
                throw new IllegalArgumentException("backend " + backend.name() + ": defined twice");
            }
        }
        java.util.Set<String> frontendNames = new java.util.HashSet<>();
        for (FrontendPlan frontend : frontends) {
            if (!frontendNames.add(frontend.name())) {
                throw new IllegalArgumentException("frontend " + frontend.name() + ": defined twice");
            }
            if (frontend.defaultBackend() != null) {
                requireBackend(byName, frontend, frontend.defaultBackend());
            }
            for (UseBackendRule rule : frontend.useBackends()) {
                if (rule.dynamicName() == null) {
                    requireBackend(byName, frontend, rule.backend());
                }
            }
        }
    }

    private static void requireBackend(Map<String, BackendPlan> byName, FrontendPlan frontend, String name) {
        BackendPlan backend = byName.get(name);
        if (backend == null) {
            throw new IllegalArgumentException("frontend " + frontend.name() + ": unknown backend '" + name + "'");
        }
        if (backend.mode() != frontend.mode()) {
            throw new IllegalArgumentException("frontend " + frontend.name() + " (mode " + frontend.mode()
                    + ") cannot use backend " + name + " (mode " + backend.mode() + ")");
        }
    }

    /** The backend called {@code name}, or {@code null}. */
    public BackendPlan backend(String name) {
        for (BackendPlan backend : backends) {
            if (backend.name().equals(name)) {
                return backend;
            }
        }
        return null;
    }
}
