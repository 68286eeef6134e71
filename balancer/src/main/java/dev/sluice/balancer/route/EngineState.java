package dev.sluice.balancer.route;

import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.front.ConnectionLimit;
import java.util.Map;

/**
 * The engine's live figures as the state fetches read them, seen from one frontend: a {@code null}
 * backend name means the frontend's own backend half (a {@code listen} section), which a plain
 * frontend lacks (so {@code nbsrv} is 0 there, as in HAProxy). Reads are racy counter snapshots.
 */
public final class EngineState implements StateView {

    private final Map<String, Backend> backends;
    private final Map<String, ConnectionLimit> frontends;
    private final String frontend;
    private final String ownBackend;
    private final dev.sluice.balancer.stick.StickTables stickTables;

    /**
     * @param frontends  each frontend's connection counter, by name
     * @param ownBackend the backend of the same name when the frontend is a {@code listen}, else null
     */
    public EngineState(Map<String, Backend> backends, Map<String, ConnectionLimit> frontends, String frontend,
                       String ownBackend) {
        this(backends, frontends, frontend, ownBackend, dev.sluice.balancer.stick.StickTables.NONE);
    }

    /** @param stickTables the running stick tables, read by the {@code src_*} and {@code table_*} fetches */
    public EngineState(Map<String, Backend> backends, Map<String, ConnectionLimit> frontends, String frontend,
                       String ownBackend, dev.sluice.balancer.stick.StickTables stickTables) {
        this.backends = Map.copyOf(backends);
        this.frontends = frontends;
        this.frontend = frontend;
        this.ownBackend = ownBackend;
        this.stickTables = java.util.Objects.requireNonNull(stickTables, "stickTables");
    }

    @Override
    public dev.sluice.balancer.stick.StickTables stickTables() {
        return stickTables;
    }

    private Backend backend(String name) {
        return backends.get(name == null ? (ownBackend == null ? "" : ownBackend) : name);
    }

    @Override
    public int usableServers(String name) {
        Backend backend = backend(name);
        if (backend == null) {
            return 0;
        }
        int usable = 0;
        for (Server server : backend.servers()) {
            if (server.usable()) {
                usable++;
            }
        }
        return usable;
    }

    @Override
    public int backendConnections(String name) {
        Backend backend = backend(name);
        if (backend == null) {
            return 0;
        }
        int busy = 0;
        for (Server server : backend.servers()) {
            busy += server.busy();
        }
        return busy;
    }

    @Override
    public int frontendConnections(String name) {
        ConnectionLimit limit = frontends.get(name == null ? frontend : name);
        return limit == null ? 0 : limit.current();
    }

    /** HAProxy answers -1 (unlimited) when a server lacks maxconn or maxqueue; Sluice's queue has no maxqueue yet. */
    @Override
    public int connectionSlots(String name) {
        return -1;
    }

    @Override
    public int queued(String name) {
        Backend backend = backend(name);
        return backend == null ? 0 : backend.queued();
    }

    @Override
    public boolean serverUp(String name, String server) {
        Backend backend = backend(name);
        if (backend == null) {
            return false;
        }
        for (Server candidate : backend.servers()) {
            if (candidate.name().equals(server)) {
                return candidate.usable();
            }
        }
        return false;
    }
}
