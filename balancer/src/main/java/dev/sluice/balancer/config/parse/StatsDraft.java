package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.model.Condition;
import dev.sluice.balancer.config.model.StatsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A proxy's {@code stats} lines while read; inherited from its defaults section, as in HAProxy. */
final class StatsDraft {
    boolean enabled;
    Optional<String> uri = Optional.empty();
    final List<String> users = new ArrayList<>();
    Optional<String> realm = Optional.empty();
    Duration refresh = Duration.ZERO;
    Optional<Condition> admin = Optional.empty();
    boolean hideVersion;
    boolean showLegends;
    Optional<String> node = Optional.empty();
    /** {@code http-request use-service} rules: never inherited. */
    final List<StatsSettings.ServiceLine> services = new ArrayList<>();

    StatsDraft() {
    }

    StatsDraft(StatsDraft defaults) {
        enabled = defaults.enabled;
        uri = defaults.uri;
        users.addAll(defaults.users);
        realm = defaults.realm;
        refresh = defaults.refresh;
        admin = defaults.admin;
        hideVersion = defaults.hideVersion;
        showLegends = defaults.showLegends;
        node = defaults.node;
    }

    StatsSettings build() {
        return new StatsSettings(enabled, uri, users, realm, refresh, admin, hideVersion, showLegends, node, services);
    }
}
