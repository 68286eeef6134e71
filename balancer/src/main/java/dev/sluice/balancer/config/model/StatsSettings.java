package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A proxy's {@code stats ...} lines and its {@code http-request use-service} rules, as written.
 *
 * @param users    {@code user:password} pairs of {@code stats auth}
 * @param refresh  {@code stats refresh}; zero when not set
 * @param admin    {@code stats admin if|unless COND}
 * @param node     {@code stats show-node [NAME]}: empty name means the host name
 * @param services {@code http-request use-service} rules in file order (never inherited)
 */
public record StatsSettings(boolean enabled, Optional<String> uri, List<String> users, Optional<String> realm,
                            Duration refresh, Optional<Condition> admin, boolean hideVersion, boolean showLegends,
                            Optional<String> node, List<ServiceLine> services) {

    public static final StatsSettings NONE = new StatsSettings(false, Optional.empty(), List.of(), Optional.empty(),
            Duration.ZERO, Optional.empty(), false, false, Optional.empty(), List.of());

    /** {@code http-request use-service NAME [if|unless COND]}. */
    public record ServiceLine(SourceLocation location, String service, Optional<Condition> condition) {
        public ServiceLine {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(condition, "condition");
        }
    }

    public StatsSettings {
        Objects.requireNonNull(uri, "uri");
        users = List.copyOf(users);
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(refresh, "refresh");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(node, "node");
        services = List.copyOf(services);
    }

    /** As HAProxy: any of {@code uri}, {@code auth}, {@code realm}, {@code refresh}, {@code admin} implies {@code enable}. */
    public boolean pageEnabled() {
        return enabled || uri.isPresent() || !users.isEmpty() || realm.isPresent() || !refresh.isZero()
                || admin.isPresent();
    }
}
