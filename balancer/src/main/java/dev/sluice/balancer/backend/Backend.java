package dev.sluice.balancer.backend;

import dev.sluice.balancer.lb.SmoothWeightedRoundRobin;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A backend at run time: its servers and the choice among them. Active servers share requests by
 * smooth weighted round-robin; a server at its {@code maxconn} is skipped; backup servers take
 * traffic only when no active server is usable, and then the first usable one in file order does
 * (HAProxy's behaviour without {@code option allbackups}). When every usable server is at its
 * {@code maxconn}, requests wait in the backend's queue (in arrival order) and each freed slot
 * wakes the oldest one on its own event loop.
 */
public final class Backend {
    private final BackendPlan plan;
    private final Server[] servers;
    private final FastThreadLocal<SmoothWeightedRoundRobin> picker;
    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();

    /** A request waiting for a server slot. */
    public interface Waiter {
        /** Called on {@link #executor()} when a slot may be free; the waiter tries {@link #take} again. */
        void wake();

        EventExecutor executor();
    }

    public Backend(BackendPlan plan) {
        this.plan = plan;
        List<ServerPlan> plans = plan.servers();
        servers = new Server[plans.size()];
        int[] weights = new int[plans.size()];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = new Server(plans.get(i), this::slotFreed);
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

    /** True when waiting makes sense: some server is usable, so a slot can free up. */
    public boolean queueable() {
        for (Server server : servers) {
            if (server.usable()) {
                return true;
            }
        }
        return false;
    }

    /** Queues {@code waiter}; wakes one at once if a slot freed in the meantime. */
    public void enqueue(Waiter waiter) {
        queue.add(waiter);
        if (anyRoom()) {
            wakeOne();
        }
    }

    /** Removes a waiter that gave up (timeout queue, client gone). */
    public void dequeue(Waiter waiter) {
        queue.remove(waiter);
    }

    public int queued() {
        return queue.size();
    }

    /** A slot freed (any event loop): the oldest waiter gets a try. */
    void slotFreed() {
        if (!queue.isEmpty()) {
            wakeOne();
        }
    }

    /** Passes on a wake-up the woken waiter could not use. */
    public void passOn() {
        slotFreed();
    }

    private void wakeOne() {
        Waiter waiter = queue.poll();
        if (waiter != null) {
            waiter.executor().execute(waiter::wake);
        }
    }

    private boolean anyRoom() {
        for (Server server : servers) {
            if (server.usable() && !server.full()) {
                return true;
            }
        }
        return false;
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
