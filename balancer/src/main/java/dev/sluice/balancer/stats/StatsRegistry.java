package dev.sluice.balancer.stats;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.GlobalPlan;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * What the stats page, the CSV, the exporter and the runtime API read: every proxy of the running
 * engine in file order with its live objects, and the process figures. Built once at start.
 *
 * @param proxies           in file order; a {@code listen} is one entry with both halves
 * @param openConnections   client connections open now (HAProxy's {@code CurrConns})
 * @param startNanos        {@link System#nanoTime()} at start, for uptime and {@code lastchg}
 * @param startEpochSeconds wall-clock start, for {@code Start_time_sec}
 */
public record StatsRegistry(GlobalPlan global, List<ProxyEntry> proxies, IntSupplier openConnections,
                            long startNanos, long startEpochSeconds) {

    /** HAProxy's version string is not ours to claim; this is what {@code show info} reports. */
    public static final String PRODUCT = "Sluice";
    public static final String VERSION = versionOf();

    /**
     * One proxy.
     *
     * @param id          HAProxy's {@code iid}: proxies are numbered from 2 in file order, as
     *                    haproxy 2.6 does when a stats socket (its CLI proxy) exists
     * @param frontend    the frontend half's plan, or {@code null}
     * @param front       the frontend half's counters, or {@code null}
     * @param backend     the backend half, or {@code null}
     */
    public record ProxyEntry(String name, int id, String mode, FrontendPlan frontend, Counters front,
                             Backend backend) {
        public ProxyEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mode, "mode");
        }
    }

    public StatsRegistry {
        Objects.requireNonNull(global, "global");
        proxies = List.copyOf(proxies);
        Objects.requireNonNull(openConnections, "openConnections");
    }

    public long uptimeSeconds(long nowNanos) {
        return (nowNanos - startNanos) / 1_000_000_000L;
    }

    /** The proxy called {@code name} with a backend half, or null. */
    public Backend backend(String name) {
        for (ProxyEntry proxy : proxies) {
            if (proxy.backend() != null && proxy.name().equals(name)) {
                return proxy.backend();
            }
        }
        return null;
    }

    private static String versionOf() {
        String version = StatsRegistry.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
