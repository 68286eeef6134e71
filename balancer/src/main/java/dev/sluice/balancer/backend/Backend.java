package dev.sluice.balancer.backend;

import dev.sluice.balancer.lb.Candidate;
import dev.sluice.balancer.lb.LoadBalancer;
import dev.sluice.balancer.lb.PickContext;
import dev.sluice.balancer.lb.ServerIds;
import dev.sluice.balancer.lb.ServerSet;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A backend at run time: its servers and the choice among them, made by the backend's
 * {@code balance} algorithm ({@link dev.sluice.balancer.lb}). The {@link ServerSet} is built once
 * and shared; each event loop has its own {@link LoadBalancer} over it (round-robin cursors are
 * per loop, so there is no lock on the request path). Servers' live counts are read through
 * {@link Server} as their {@link dev.sluice.balancer.lb.ServerLoad}. A server at its
 * {@code maxconn} is not chosen; when every usable server is full, requests wait in the backend's
 * queue (in arrival order) and each freed slot wakes the oldest one on its own event loop.
 */
public final class Backend {
    private final BackendPlan plan;
    private final Server[] servers;
    private final Candidate[] candidates;
    private final ServerSet set;
    private final FastThreadLocal<LoadBalancer> picker;
    /** For callers that hash nothing and carry no context of their own (see {@link #take(Server)}). */
    private final FastThreadLocal<PickContext> scratch = new FastThreadLocal<>() {
        @Override
        protected PickContext initialValue() {
            return new PickContext();
        }
    };
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
        candidates = new Candidate[plans.size()];
        int[] explicit = new int[plans.size()];
        for (int i = 0; i < explicit.length; i++) {
            explicit[i] = plans.get(i).id();
        }
        int[] ids = ServerIds.assign(explicit);
        List<Candidate> list = new ArrayList<>(servers.length);
        for (int i = 0; i < servers.length; i++) {
            ServerPlan p = plans.get(i);
            servers[i] = new Server(p, this::slotFreed);
            // Health checks will make "usable" dynamic (a new ServerSet on each transition).
            candidates[i] = new Candidate(ids[i], p.name(), p.weight(), p.backup(), !p.disabled(), servers[i]);
            list.add(candidates[i]);
        }
        set = plan.balance().snapshot(list);
        picker = new FastThreadLocal<>() {
            @Override
            protected LoadBalancer initialValue() {
                return set.newLoadBalancer();
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

    /** The load balancer's view of {@code server} (for {@link PickContext#avoid}). */
    public Candidate candidate(Server server) {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] == server) {
                return candidates[i];
            }
        }
        throw new IllegalArgumentException("server " + server.name() + " is not in backend " + name());
    }

    /**
     * Chooses a server with what {@code context} says about the request (and the servers it marks
     * as avoided) and takes a request slot on it; {@code null} when none can take the request now
     * (all down, or the choice is at its {@code maxconn}: then the request queues). The caller
     * gives the slot back with {@link Server#giveBack()}.
     */
    public Server takeFor(PickContext context) {
        Candidate chosen = picker.get().pick(context);
        if (chosen == null) {
            return null;
        }
        // The load of a candidate is its engine server (see the constructor): no lookup needed.
        Server server = (Server) chosen.load();
        // Another event loop may have taken the last slot since the pick: then wait like the rest.
        return server.tryTake() ? server : null;
    }

    /**
     * {@link #takeFor(PickContext)} for a request that hashes nothing; {@code avoid} (may be null) is
     * chosen again only when no other server can take the request, for redispatch.
     */
    public Server take(Server avoid) {
        PickContext context = scratch.get().reset();
        if (avoid != null) {
            context.avoid(candidate(avoid));
        }
        Server server = takeFor(context);
        context.reset();
        return server;
    }

    /**
     * After a reload, takes over from {@code previous} (the backend of the same name in the
     * configuration being replaced) the state of each server that kept its name
     * ({@link Server#carryOver}); new servers start fresh, removed ones are dropped.
     */
    public void carryOver(Backend previous) {
        for (Server server : servers) {
            for (Server old : previous.servers) {
                if (old.name().equals(server.name())) {
                    server.carryOver(old);
                    break;
                }
            }
        }
    }

    /** Closes the idle pooled server connections of the calling event loop (see {@link Server#closeIdleHere}). */
    public void closeIdleConnections() {
        for (Server server : servers) {
            server.closeIdleHere();
        }
    }

    /** True when waiting makes sense: some server is usable, so a slot can free up. */
    public boolean queueable() {
        return set.hasUsableServer();
    }

    /** Queues {@code waiter}; wakes one at once if a slot freed in the meantime. */
    public void enqueue(Waiter waiter) {
        queue.add(waiter);
        if (anyRoom()) {
            wakeOne();
        }
    }

    /**
     * Queues {@code waiter}, whose request is described by {@code context}; wakes one at once only
     * if that request's own choice has room now. A hashing algorithm keeps its choice when that
     * server is full, so "some server has room" would wake it in a loop without progress.
     * Known limit: there is one backend queue, not HAProxy's per-server queues, so a freed slot
     * wakes the oldest waiter even when it waits for another (full) server.
     */
    public void enqueue(Waiter waiter, PickContext context) {
        if (!plan.balance().algorithm().hashesKey()) {
            enqueue(waiter);
            return;
        }
        queue.add(waiter);
        Candidate choice = picker.get().pick(context);
        if (choice != null && !choice.load().isFull()) {
            wakeOne();
        }
    }

    /** Removes a waiter that gave up (timeout queue, client gone). */
    public void dequeue(Waiter waiter) {
        queue.remove(waiter);
    }

    /** Requests served by this backend's servers right now (HAProxy's beconn, %bc). */
    public int busy() {
        int total = 0;
        for (Server server : servers) {
            total += server.busy();
        }
        return total;
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
        for (Candidate candidate : set.inUse()) {
            if (!candidate.load().isFull()) {
                return true;
            }
        }
        return false;
    }
}
