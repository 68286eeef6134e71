package dev.sluice.balancer.backend;

import dev.sluice.balancer.lb.SmoothWeightedRoundRobin;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;

/**
 * A backend at run time: its servers and the choice among them. Active servers share requests by
 * smooth weighted round-robin; a server at its {@code maxconn} is skipped; backup servers take
 * traffic only when no active server is usable, and then the first usable one in file order does
 * (HAProxy's behaviour without {@code option allbackups}).
 */
public final class Backend {
    private final BackendPlan plan;
    private final Server[] servers;
    private final FastThreadLocal<SmoothWeightedRoundRobin> picker;

    public Backend(BackendPlan plan) {
        this.plan = plan;
        List<ServerPlan> plans = plan.servers();
        servers = new Server[plans.size()];
        int[] weights = new int[plans.size()];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = new Server(plans.get(i));
            weights[i] = plans.get(i).backup() ? 0 : plans.get(i).weight();
        }
        picker = new FastThreadLocal<>() {
            @Override
            protected SmoothWeightedRoundRobin initialValue() {
                return new SmoothWeightedRoundRobin(weights);
            }
        };
    }

    public BackendPlan plan() {
        return plan;
    }

    public String name() {
        return plan.name();
    }

    public List<Server> servers() {
        return List.of(servers);
    }

    /**
     * Chooses a server and takes a request slot on it; {@code null} when none can take the request
     * (all down, or all active ones at their {@code maxconn}). The caller gives the slot back.
     * {@code avoid} (may be null) is skipped when another choice exists, for redispatch.
     */
    public Server take(Server avoid) {
        SmoothWeightedRoundRobin rr = picker.get();
        for (int attempt = 0; attempt < servers.length; attempt++) {
            int index = rr.pick(i -> servers[i].usable() && !servers[i].full() && servers[i] != avoid);
            if (index < 0) {
                break;
            }
            if (servers[index].tryTake()) {
                return servers[index];
            }
        }
        if (avoid != null && avoid.usable() && avoid.tryTake()) {
            return avoid;
        }
        if (anyActiveUsable()) {
            return null;
        }
        for (Server server : servers) {
            if (server.plan().backup() && server.usable() && server.tryTake()) {
                return server;
            }
        }
        return null;
    }

    private boolean anyActiveUsable() {
        for (Server server : servers) {
            if (!server.plan().backup() && server.usable()) {
                return true;
            }
        }
        return false;
    }
}
