package dev.sluice.balancer.runtime;

import dev.sluice.balancer.acl.Condition;
import java.util.List;
import java.util.Objects;

/**
 * A proxy's {@code stats ...} settings: the page is served for requests whose path starts with
 * {@code uri}.
 *
 * @param users          {@code user:password} pairs from {@code stats auth}; empty means no authentication
 * @param refreshSeconds {@code stats refresh}; 0 means no refresh header
 * @param admin          {@code stats admin if|unless COND} compiled, or {@code null} (no admin actions)
 * @param node           {@code stats show-node [NAME]}, or {@code null}
 */
public record StatsPage(boolean enabled, String uri, List<String> users, String realm, int refreshSeconds,
                        Condition admin, boolean hideVersion, boolean showLegends, String node) {

    public static final String DEFAULT_URI = "/haproxy?stats";
    public static final String DEFAULT_REALM = "HAProxy Statistics";
    public static final StatsPage DISABLED = new StatsPage(false, DEFAULT_URI, List.of(), DEFAULT_REALM, 0, null,
            false, false, null);

    public StatsPage {
        Objects.requireNonNull(uri, "uri");
        users = List.copyOf(users);
        Objects.requireNonNull(realm, "realm");
        if (refreshSeconds < 0) {
            throw new IllegalArgumentException("stats refresh: " + refreshSeconds + " (expected: >= 0)");
        }
        for (String user : users) {
            if (user.indexOf(':') <= 0) {
                throw new IllegalArgumentException("stats auth: '" + user + "' (expected: user:password)");
            }
        }
    }
}
