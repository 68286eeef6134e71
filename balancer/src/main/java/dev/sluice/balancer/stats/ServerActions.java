package dev.sluice.balancer.stats;

/**
 * Changes to a server's state asked for by the stats page's admin form. The server-state work
 * (issue 9's {@code set server} commands, written with health checks) plugs in here; until then
 * every action is refused with a clear sentence.
 */
@FunctionalInterface
public interface ServerActions {
    /** Refuses everything: {@code Server} has no run-time state changes yet. */
    ServerActions NONE = (backend, server, action) -> "action '" + action
            + "' is not available yet (server state changes arrive with health checks)";

    /**
     * Applies {@code action} ({@code ready}, {@code drain}, {@code maint}, {@code dhlth}, {@code ehlth}, …).
     *
     * @return {@code null} when done, else why not
     */
    String apply(String backend, String server, String action);
}
