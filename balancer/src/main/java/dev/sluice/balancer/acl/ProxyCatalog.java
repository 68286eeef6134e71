package dev.sluice.balancer.acl;

/**
 * The names the configuration declares, so that {@code nbsrv(BE)} or {@code srv_is_up(BE/SRV)} can be
 * refused at compile time when the name does not exist, as HAProxy does after parsing.
 */
public interface ProxyCatalog {

    boolean hasBackend(String name);

    boolean hasFrontend(String name);

    boolean hasServer(String backend, String server);

    /** Whether a proxy of this name declares a {@code stick-table} (the table takes the proxy's name). */
    default boolean hasTable(String name) {
        return true;
    }

    /** The {@code userlist} section of this name, which {@code http_auth(L)} checks against; null when absent. */
    default dev.sluice.balancer.auth.Userlist userlist(String name) {
        return null;
    }

    /** A catalog that accepts every name; for tests and for expressions checked elsewhere. */
    ProxyCatalog ANY = new ProxyCatalog() {
        @Override
        public boolean hasBackend(String name) {
            return true;
        }

        @Override
        public boolean hasFrontend(String name) {
            return true;
        }

        @Override
        public boolean hasServer(String backend, String server) {
            return true;
        }
    };
}
