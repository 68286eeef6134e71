package dev.sluice.balancer.config;

import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.config.model.GlobalStats;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.StatsSettings;
import dev.sluice.balancer.runtime.ServiceRule;
import dev.sluice.balancer.runtime.StatsPage;
import dev.sluice.balancer.runtime.StatsPlan;
import dev.sluice.balancer.runtime.Visibility;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The stats settings of a checked configuration, compiled for the engine ({@link Compiler}'s helper). */
final class StatsCompiler {
    private StatsCompiler() {
    }

    static StatsPlan plan(Config config) {
        List<String> order = config.proxies().stream().map(Proxy::name).toList();
        List<StatsPlan.Socket> sockets = new ArrayList<>();
        GlobalStats stats = config.global().stats();
        for (GlobalStats.Socket socket : stats.sockets()) {
            SocketAddress address = socket.path() != null ? UnixDomainSocketAddress.of(socket.path())
                    : new InetSocketAddress(socket.address(), socket.port());
            sockets.add(new StatsPlan.Socket(address, socket.mode(),
                    StatsPlan.Level.valueOf(socket.level().toUpperCase(Locale.ROOT)), socket.owner().uid(),
                    socket.owner().gid()));
        }
        return new StatsPlan(order, sockets, stats.timeout());
    }

    static StatsPage page(Proxy proxy, Config config) {
        StatsSettings stats = proxy.stats();
        if (!stats.pageEnabled()) {
            return StatsPage.DISABLED;
        }
        return new StatsPage(true, stats.uri().orElse(StatsPage.DEFAULT_URI), stats.users(),
                stats.realm().orElse(StatsPage.DEFAULT_REALM), (int) stats.refresh().toSeconds(),
                stats.admin().map(c -> config.conditions().get(c.location())).orElse(null),
                stats.hideVersion(), stats.showLegends(), stats.node().orElse(null));
    }

    static Visibility visibility(Proxy proxy, Config config) {
        List<ServiceRule> rules = proxy.stats().services().stream()
                .map(line -> new ServiceRule(line.service(),
                        line.condition().map(c -> config.conditions().get(c.location())).orElse(null)))
                .toList();
        StatsPage page = page(proxy, config);
        if (rules.isEmpty() && !page.enabled()) {
            return Visibility.NONE;
        }
        return new Visibility(page, rules);
    }
}
