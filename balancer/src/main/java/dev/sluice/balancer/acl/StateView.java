package dev.sluice.balancer.acl;

/**
 * Live backend and frontend figures read by the state fetches. A {@code null} name means the
 * current backend (or frontend) of the request being evaluated, as in HAProxy when the argument is
 * omitted. Names passed here were checked against the {@link ProxyCatalog} at compile time. Reads
 * are racy snapshots of counters, which is all HAProxy promises either.
 */
public interface StateView {

    /** Usable (UP, not in maintenance, weight &gt; 0) servers of the backend: {@code nbsrv}. */
    int usableServers(String backend);

    /** Established connections of the backend: {@code be_conn}. */
    int backendConnections(String backend);

    /** Established connections of the frontend: {@code fe_conn}. */
    int frontendConnections(String frontend);

    /**
     * Free connection slots plus free queue slots of the backend: {@code connslots}; -1 when a
     * server has no maxconn or maxqueue, as HAProxy reports.
     */
    int connectionSlots(String backend);

    /** Queued requests of the backend, server queues included: {@code queue}. */
    int queued(String backend);

    /** Whether the server is UP (neither DOWN nor in maintenance): {@code srv_is_up}. */
    boolean serverUp(String backend, String server);

    /** The running stick tables, for {@code src_*}, {@code table_*} and {@code scN_*(table)}. */
    default dev.sluice.balancer.stick.StickTables stickTables() {
        return dev.sluice.balancer.stick.StickTables.NONE;
    }
}
