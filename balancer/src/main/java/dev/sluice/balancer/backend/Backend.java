package dev.sluice.balancer.backend;

import dev.sluice.balancer.lb.Candidate;
import dev.sluice.balancer.lb.LoadBalancer;
import dev.sluice.balancer.lb.PickContext;
import dev.sluice.balancer.lb.ServerIds;
import dev.sluice.balancer.lb.ServerSet;
import dev.sluice.balancer.persist.CookiePersistence;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend at run time: its servers and the choice among them, made by the backend's
 * {@code balance} algorithm ({@link dev.sluice.balancer.lb}). The {@link ServerSet} is built once
 * and shared; each event loop has its own {@link LoadBalancer} over it (round-robin cursors are
 * per loop, so there is no lock on the request path). Servers' live counts are read through
 * {@link Server} as their {@link dev.sluice.balancer.lb.ServerLoad}. A server at its
 * {@code maxconn} is not chosen; when every usable server is full, requests wait in the backend's
 * queue, and requests that must go to one server (a persistence cookie, a hash) wait in that
 * server's queue (bounded by its {@code maxqueue}). A slot freed on a server wakes the oldest
 * request of that server's queue and the backend's, on the request's own event loop.
 */
public final class Backend {
    private final dev.sluice.balancer.stats.Counters counters = new dev.sluice.balancer.stats.Counters();
    private final BackendPlan plan;
    private final Server[] servers;
    private final Candidate[] candidates;
    /** The snapshot in force; replaced (never edited) when a server's usability or weight changes. */
    private volatile ServerSet set;
    private final LoopPickers picker;
    /** For callers that hash nothing and carry no context of their own (see {@link #take(Server)}). */
    private final FastThreadLocal<PickContext> scratch = new FastThreadLocal<>() {
        @Override
        protected PickContext initialValue() {
            return new PickContext();
        }
    };
    /** Requests any server may take, in arrival order; each server also has its own (see {@link Server}). */
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    /** Orders waiters across the backend's queue and the servers' queues. */
    private final AtomicLong arrivals = new AtomicLong();
    private final AtomicInteger maxQueued = new AtomicInteger();
    /** Null when the backend has no {@code cookie}: such requests skip persistence entirely. */
    private final CookiePersistence cookies;

    /** A waiter and its place in line. */
    record Queued(Waiter waiter, long arrival) {
    }

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
            Server[] holder = servers;
            int index = i;
            servers[i] = new Server(p, () -> slotFreed(holder[index]), this::load, plan.load().fullconn(), plan.name());
            candidates[i] = candidateOf(ids[i], servers[i]);
            list.add(candidates[i]);
        }
        set = plan.balance().snapshot(list);
        trackConnectionsForTransitions();
        cookies = CookiePersistence.of(plan.cookie(), List.of(servers));
        picker = new LoopPickers(() -> set);
    }

    /**
     * {@code on-marked-down shutdown-sessions} needs the server's own connections; any server's
     * {@code on-marked-up shutdown-backup-sessions} needs the backup servers' connections.
     */
    private void trackConnectionsForTransitions() {
        boolean backupsShut = false;
        for (Server server : servers) {
            backupsShut |= server.plan().health().marked().upShutsBackupSessions();
        }
        for (Server server : servers) {
            if (server.plan().health().marked().downShutsSessions() || backupsShut && server.plan().backup()) {
                server.trackConnections();
            }
        }
    }

    private static Candidate candidateOf(int id, Server server) {
        ServerState state = server.state();
        return new Candidate(id, server.name(), state.weight(), server.plan().backup(), state.usable(), server);
    }

    /**
     * Rebuilds the server set from the servers' live state (after a health transition, an admin command or
     * a slowstart step); each event loop's picker switches to it at its next pick. Does nothing when the
     * load balancer's view did not change.
     */
    public synchronized void refresh() {
        List<Candidate> current = set.servers();
        List<Candidate> next = new ArrayList<>(servers.length);
        boolean same = true;
        for (int i = 0; i < servers.length; i++) {
            Candidate before = current.get(i);
            Candidate after = candidateOf(before.id(), servers[i]);
            same &= after.equals(before);
            next.add(after);
        }
        if (!same) {
            set = set.with(next);
        }
        redistribute();
    }

    /**
     * After a state change. Requests waiting for a server that no longer takes traffic (DOWN, or in maintenance)
     * are woken with {@code option redispatch} and balanced again, as HAProxy's {@code pendconn_redistribute}
     * does; without it they keep waiting for that server until {@code timeout queue}, as in HAProxy. Servers with
     * room (one came UP, left maintenance or got a higher weight) take waiters from the queues.
     */
    private void redistribute() {
        for (Server server : servers) {
            if (!server.acceptsPersistent()) {
                server.dropIdle(); // DOWN or in maintenance: its parked connections are not reused
            }
        }
        if (plan.redispatch()) {
            for (Server server : servers) {
                if (!server.acceptsPersistent()) {
                    Queued moved;
                    while ((moved = server.waiting.poll()) != null) {
                        moved.waiter().executor().execute(moved.waiter()::wake);
                    }
                }
            }
        }
        for (Server server : servers) {
            if (!server.waiting.isEmpty() && server.acceptsPersistent() && !server.full()) {
                slotFreed(server);
            }
        }
        for (int room = roomForQueue(); room > 0 && !queue.isEmpty(); room--) {
            Queued next = queue.poll();
            if (next != null) {
                next.waiter().executor().execute(next.waiter()::wake);
            }
        }
    }

    /** Free request slots over the usable servers (capped: an unlimited server counts as the whole queue). */
    private int roomForQueue() {
        int room = 0;
        for (Candidate candidate : set.inUse()) {
            int max = candidate.load().maxConnections();
            if (max == 0) {
                return Integer.MAX_VALUE;
            }
            room += Math.max(0, max - candidate.load().served() - candidate.load().queued());
        }
        return room;
    }

    /** The snapshot the pickers use now. */
    public ServerSet serverSet() {
        return set;
    }

    /** The server of that name, or null. */
    public Server server(String name) {
        for (Server server : servers) {
            if (server.name().equals(name)) {
                return server;
            }
        }
        return null;
    }

    public BackendPlan plan() {
        return plan;
    }

    public String name() {
        return plan.name();
    }

    /** The backend's {@code cookie} persistence, or null when it has none. */
    public CookiePersistence cookies() {
        return cookies;
    }

    /**
     * Takes a slot on {@code server}, which a persistence cookie named; null when it is at its
     * {@code maxconn} (then the request waits for that server).
     */
    public Server takeDirect(Server server) {
        // A server that went DOWN or into maintenance while the request waited takes it no more.
        return server.acceptsPersistent() && server.tryTake() ? server : null;
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
        refresh();
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

    /** Queues {@code waiter} in the backend's queue; wakes one at once if a slot freed in the meantime. */
    public void enqueue(Waiter waiter) {
        add(queue, waiter);
        if (anyRoom()) {
            wakeAny();
        }
    }

    /**
     * Queues {@code waiter}, whose request is described by {@code context}. A hashing algorithm keeps its
     * choice when that server is full, so the request waits in that server's own queue, as in HAProxy;
     * the others wait in the backend's queue.
     *
     * @return false when the hashed server already has {@code maxqueue} requests waiting (answer 503)
     */
    public boolean enqueue(Waiter waiter, PickContext context) {
        if (!plan.balance().algorithm().hashesKey()) {
            enqueue(waiter);
            return true;
        }
        Candidate choice = picker.get().pick(context);
        if (choice == null) {
            enqueue(waiter);
            return true;
        }
        return enqueueFor((Server) choice.load(), waiter);
    }

    /**
     * Queues {@code waiter} for {@code server} alone (a persistence cookie or a hash named it).
     *
     * @return false when the server already has {@code maxqueue} requests waiting, or when it is DOWN or in
     *     maintenance and the backend has {@code option redispatch} (the caller then balances the request)
     */
    public boolean enqueueFor(Server server, Waiter waiter) {
        if (plan.redispatch() && !server.acceptsPersistent()) {
            return false; // the server went away while the request waited: the caller redispatches it
        }
        int maxqueue = server.plan().persistence().maxqueue();
        if (maxqueue > 0 && server.waiting.size() >= maxqueue) {
            return false;
        }
        add(server.waiting, waiter);
        server.maxQueued.accumulateAndGet(server.waiting.size(), Math::max);
        if (!server.full()) {
            slotFreed(server);
        }
        return true;
    }

    private void add(ConcurrentLinkedQueue<Queued> line, Waiter waiter) {
        line.add(new Queued(waiter, arrivals.getAndIncrement()));
        if (line == queue) {
            maxQueued.accumulateAndGet(queue.size(), Math::max);
        }
    }

    /** Removes a waiter that gave up (timeout queue, client gone), from whichever queue holds it. */
    public void dequeue(Waiter waiter) {
        if (queue.removeIf(q -> q.waiter() == waiter)) {
            return;
        }
        for (Server server : servers) {
            if (server.waiting.removeIf(q -> q.waiter() == waiter)) {
                return;
            }
        }
    }

    /**
     * Requests this backend holds now, served or queued (HAProxy's beconn, which {@code minconn} scaling reads;
     * the request being placed is not counted yet, HAProxy counts it).
     */
    public int load() {
        int total = queue.isEmpty() ? 0 : queue.size();
        for (Server server : servers) {
            total += server.busy() + server.queued();
        }
        return total;
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

    /** The most requests that ever waited in the backend's own queue at once. */
    public int maxQueued() {
        return maxQueued.get();
    }

    /**
     * A slot freed on {@code server} (any event loop): the oldest of the requests waiting for that
     * server and those waiting in the backend's queue gets a try, as HAProxy's queue processing does.
     */
    void slotFreed(Server server) {
        while (true) {
            Queued mine = server.waiting.peek();
            Queued shared = queue.peek();
            if (mine == null && shared == null) {
                return;
            }
            boolean takeMine = shared == null || (mine != null && mine.arrival() < shared.arrival());
            Queued next = takeMine ? mine : shared;
            // Another event loop may have taken it meanwhile: then look again.
            if ((takeMine ? server.waiting : queue).remove(next)) {
                next.waiter().executor().execute(next.waiter()::wake);
                return;
            }
        }
    }

    /** Passes on a wake-up the woken waiter could not use. */
    public void passOn() {
        wakeAny();
    }

    /** Wakes the oldest waiter of a server with room, else of the backend's queue. */
    private void wakeAny() {
        for (Server server : servers) {
            if (!server.waiting.isEmpty() && !server.full()) {
                slotFreed(server);
                return;
            }
        }
        Queued next = queue.poll();
        if (next != null) {
            next.waiter().executor().execute(next.waiter()::wake);
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

    /** This backend's figures for the stats page, CSV and exporter (issue 9). */
    public dev.sluice.balancer.stats.Counters counters() {
        return counters;
    }
}
