package dev.sluice.balancer.stats;

/**
 * Changes to a server's state asked for by the stats page's admin form; the runtime API's server
 * commands carry them out ({@code RuntimeApi.formActions()}).
 */
@FunctionalInterface
public interface ServerActions {
    /** Refuses everything (a page without an admin form behind it). */
    ServerActions NONE = (backend, server, action) -> "action '" + action + "' is not available here";

    /**
     * Applies {@code action} ({@code ready}, {@code drain}, {@code maint}, {@code dhlth}, {@code ehlth}, …).
     *
     * @return {@code null} when done, else why not
     */
    String apply(String backend, String server, String action);
}
