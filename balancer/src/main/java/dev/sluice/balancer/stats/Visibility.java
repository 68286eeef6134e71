package dev.sluice.balancer.stats;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.http.HttpFrontend;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.StatsPage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/** Builds the stats side of a starting engine: the registry of proxies and each frontend's own services. */
public final class Visibility {
    /** haproxy 2.6 numbers user proxies from 2 when its CLI proxy exists; we keep its numbers. */
    static final int FIRST_PROXY_ID = 2;

    private Visibility() {
    }

    public static StatsRegistry registry(RuntimePlan plan, Map<String, Counters> frontCounters,
                                         Map<String, Backend> backends, IntSupplier openConnections) {
        Set<String> order = new LinkedHashSet<>(plan.stats().proxyOrder());
        plan.frontends().forEach(f -> order.add(f.name()));
        plan.backends().forEach(b -> order.add(b.name()));
        Map<String, FrontendPlan> frontends = new HashMap<>();
        plan.frontends().forEach(f -> frontends.put(f.name(), f));
        List<StatsRegistry.ProxyEntry> proxies = new ArrayList<>();
        // 'id N' fixes a proxy's number; the others take the next numbers no 'id' took, as in HAProxy.
        Set<Integer> taken = new java.util.HashSet<>();
        plan.frontends().forEach(f -> taken.add(f.extras().id()));
        plan.backends().forEach(b -> taken.add(b.extras().id()));
        int id = FIRST_PROXY_ID;
        for (String name : order) {
            FrontendPlan frontend = frontends.get(name);
            Backend backend = backends.get(name);
            int fixed = frontend != null ? frontend.extras().id() : backend != null ? backend.plan().extras().id() : 0;
            while (fixed == 0 && taken.contains(id)) {
                id++;
            }
            int own = fixed != 0 ? fixed : id++;
            if (frontend == null && backend == null) {
                // A proxy without binds (a frontend with nothing to listen on) has nothing to show.
                continue;
            }
            String mode = (frontend != null ? frontend.mode() : backend.plan().mode()).name().toLowerCase();
            proxies.add(new StatsRegistry.ProxyEntry(name, own, mode, frontend,
                    frontend == null ? null : frontCounters.get(name), backend));
        }
        return new StatsRegistry(plan.global(), proxies, openConnections, System.nanoTime(),
                System.currentTimeMillis() / 1_000);
    }

    /** Gives each HTTP frontend its stats pages and {@code use-service} rules. */
    public static void installServices(RuntimePlan plan, Map<String, HttpFrontend> httpFrontends,
                                       StatsRegistry registry, ServerActions actions) {
        Map<String, StatsPage> pages = new HashMap<>();
        for (BackendPlan backend : plan.backends()) {
            if (backend.stats().enabled()) {
                pages.put(backend.name(), backend.stats());
            }
        }
        for (FrontendPlan frontend : plan.frontends()) {
            HttpFrontend http = httpFrontends.get(frontend.name());
            if (http != null) {
                http.services(Services.of(frontend, pages, registry, actions));
            }
        }
    }
}
