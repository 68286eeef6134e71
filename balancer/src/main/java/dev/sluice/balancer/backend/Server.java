package dev.sluice.balancer.backend;

import dev.sluice.balancer.lb.ServerLoad;
import dev.sluice.balancer.runtime.ServerObserve;
import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A server at run time: its plan, how many requests it serves right now (for {@code maxconn}), and
 * its idle keep-alive connections, kept per event loop so a client's request reuses a connection
 * of its own loop without locks.
 *
 * <p>It is also the {@link ServerLoad} the load balancer reads: one count shared by every event loop
 * (an atomic), not one per loop, because {@code maxconn} limits the server as a whole and
 * {@code leastconn} must compare whole servers; reading it is a plain volatile read, no lock.
 */
public final class Server implements ServerLoad {
    private final dev.sluice.balancer.stats.Counters counters = new dev.sluice.balancer.stats.Counters();
    private final ServerPlan plan;
    private final Runnable onFree;
    private final ServerState state;
    /** {@code maxconn}, changeable at run time ({@code set maxconn server}); 0 means unlimited. */
    private volatile int maxconn;
    private final AtomicInteger busy = new AtomicInteger();
    private final LongAdder connectFailures = new LongAdder();
    /** Requests that must be served by this server and wait for a slot (filled by {@link Backend}). */
    final ConcurrentLinkedQueue<Backend.Queued> waiting = new ConcurrentLinkedQueue<>();
    final AtomicInteger maxQueued = new AtomicInteger();
    /**
     * Idle connections one event loop keeps to one server when {@code pool-max-conn} sets no limit.
     * HAProxy stops pooling when idle connections hold {@code tune.pool-high-fd-ratio} (25 %) of its
     * file descriptors; without a bound, sessions of one request each (which "safe" reuse never lets
     * take a pooled connection) would park one connection per request until the purge, and the
     * kernel's search for a free local port towards the server grows with them (measured: 10,000
     * idle connections made each connect cost several hundred microseconds).
     */
    static final int MAX_IDLE_PER_LOOP = 1024;
    /** Set on a parked connection once the client connection that parked it has ended. */
    private static final AttributeKey<Boolean> SESSION_ENDED = AttributeKey.valueOf("sluice.sessionEnded");
    private static final AttributeKey<Integer> IDLE_GENERATION = AttributeKey.valueOf("sluice.idleGeneration");
    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Server> IDLE_GENERATION_UPDATER =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(Server.class, "idleGeneration");
    /** Bumped by {@link #dropIdle}: pooled connections parked under an older value are not reused. */
    private volatile int idleGeneration;
    private final FastThreadLocal<ArrayDeque<Channel>> idle = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Channel> initialValue() {
            return new ArrayDeque<>();
        }
    };
    /** Pooled connections that already served a second request ({@code http-reuse aggressive} takes only those). */
    private static final AttributeKey<Boolean> PROVEN = AttributeKey.valueOf("sluice.provenIdle");
    /** Idle connections of every event loop together, for {@code pool-max-conn}. */
    private final AtomicInteger idleCount = new AtomicInteger();
    /** The event loops whose pool has a {@code pool-purge-delay} sweep scheduled. */
    private final FastThreadLocal<boolean[]> sweepScheduled = new FastThreadLocal<>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    /** The backend's load for {@code minconn} scaling, or null when this server's limit is static. */
    private final java.util.function.IntSupplier backendLoad;
    /** {@code observe} with {@code check}: only then does live traffic move the server's health. */
    private final boolean observed;
    private volatile java.util.function.Consumer<ServerState.Observed> observedListener;
    /** Set before traffic when a transition may close this server's connections; then {@link #connections} is kept. */
    private volatile boolean tracksConnections;
    private final java.util.Set<Channel> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int fullconn;
    /** TLS to this server ({@code ssl}, {@code check-ssl}): built once at start; null when it is spoken to in clear. */
    private final dev.sluice.balancer.tls.ServerTlsContext tls;
    /** Where new connections go: the plan's address until DNS ({@code resolvers}) changes it at run time. */
    private volatile java.net.InetSocketAddress address;

    /** @param onFree told each time a request slot is given back (wakes queued requests) */
    public Server(ServerPlan plan, Runnable onFree) {
        this(plan, onFree, null, 0);
    }

    /**
     * @param backendLoad requests the backend holds now (see {@link DynamicLimit}); null for a static limit
     * @param fullconn    the backend's {@code fullconn}
     */
    public Server(ServerPlan plan, Runnable onFree, java.util.function.IntSupplier backendLoad, int fullconn) {
        this(plan, onFree, backendLoad, fullconn, "");
    }

    /** @param backend the backend's name, the scope of the {@code sni} expression */
    public Server(ServerPlan plan, Runnable onFree, java.util.function.IntSupplier backendLoad, int fullconn,
                  String backend) {
        this.plan = plan;
        this.tls = dev.sluice.balancer.tls.ServerTlsContext.of(plan.tls(), backend);
        this.onFree = onFree;
        this.state = new ServerState(plan.weight(), plan.disabled(), plan.health(), System::nanoTime);
        this.maxconn = plan.maxconn();
        boolean scales = fullconn > 0 && plan.minconn() < plan.maxconn();
        this.backendLoad = scales ? backendLoad : null;
        this.fullconn = fullconn;
        this.observed = plan.health().check() && plan.health().observe().enabled();
        this.address = plan.address();
        if (plan.resolution().unresolved()) {
            state.setResolutionMaint(true);
        }
    }

    /**
     * Where new connections to this server go now: the configured address, or the one DNS found last
     * ({@link #changeAddress}). Read once per connection attempt.
     */
    public java.net.InetSocketAddress address() {
        return address;
    }

    /**
     * DNS or the runtime API moved the server: new connections go to {@code newAddress}, and the idle pooled
     * connections to the old one are not reused (each event loop closes its own at its next look). True when
     * it changed.
     */
    public boolean changeAddress(java.net.InetSocketAddress newAddress) {
        java.util.Objects.requireNonNull(newAddress, "newAddress");
        if (newAddress.equals(address)) {
            return false;
        }
        address = newAddress;
        dropIdle();
        return true;
    }

    /** The limit in force now: {@code maxconn}, or less under low backend load with {@code minconn}. */
    private int limit() {
        int max = maxconn;
        if (backendLoad == null || max == 0) {
            return max;
        }
        return DynamicLimit.of(Math.min(plan.minconn(), max), max, backendLoad.getAsInt(), fullconn);
    }

    /** The server's TLS contexts, or null when neither its connections nor its checks speak TLS. */
    public dev.sluice.balancer.tls.ServerTlsContext tls() {
        return tls;
    }

    public ServerPlan plan() {
        return plan;
    }

    public String name() {
        return plan.name();
    }

    /** May take new traffic: UP (health checks), READY (admin) and a non-zero weight (see {@link ServerState}). */
    public boolean usable() {
        return state.usable();
    }

    /** May take traffic that persistence sends to it: UP and not in maintenance (draining is fine). */
    public boolean acceptsPersistent() {
        return state.acceptsPersistent();
    }

    /** The live state: health, admin state, weight, last check. */
    public ServerState state() {
        return state;
    }

    /** The {@code maxconn} in force now (0: unlimited). */
    public int maxconn() {
        return maxconn;
    }

    /** {@code set maxconn server}: the new limit applies to the next request. */
    public void setMaxconn(int newMaxconn) {
        if (newMaxconn < 0) {
            throw new IllegalArgumentException("maxconn: " + newMaxconn + " (expected: >= 0)");
        }
        maxconn = newMaxconn;
    }

    public boolean full() {
        int limit = limit();
        return limit > 0 && busy.get() >= limit;
    }

    /** Takes a request slot; false if {@code maxconn} is reached. */
    public boolean tryTake() {
        int limit = limit();
        if (limit == 0) {
            busy.incrementAndGet();
            return true;
        }
        while (true) {
            int now = busy.get();
            if (now >= limit) {
                return false;
            }
            if (busy.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void giveBack() {
        busy.decrementAndGet();
        onFree.run();
    }

    public int busy() {
        return busy.get();
    }

    @Override
    public int served() {
        return busy.get();
    }

    /** Requests waiting for this server alone (persistence or hashing sent them here). */
    @Override
    public int queued() {
        // size() walks the queue: skip it in the usual case, where nobody waits.
        return waiting.isEmpty() ? 0 : waiting.size();
    }

    /** The most requests that ever waited for this server at once. */
    public int maxQueued() {
        return maxQueued.get();
    }

    @Override
    public int maxConnections() {
        return limit();
    }

    public void connectFailed() {
        connectFailures.increment();
        observe(ServerObserve.Event.CONNECT_FAILED);
    }

    /**
     * A new connection to this server succeeded: passive health counts it ({@code observe layer4}),
     * and when transitions may shut sessions ({@code on-marked-down}, {@code on-marked-up}) it is
     * remembered until it closes.
     */
    public void connected(Channel connection) {
        observe(ServerObserve.Event.CONNECTED);
        if (tracksConnections) {
            connections.add(connection);
            connection.closeFuture().addListener(f -> connections.remove(connection));
        }
    }

    /** Remember this server's connections, so that a transition can close them ({@link #closeConnections}). */
    public void trackConnections() {
        tracksConnections = true;
    }

    /** Closes every open connection to this server, in use or idle; their clients see it end. */
    public int closeConnections() {
        int closed = 0;
        for (Channel connection : connections) {
            connection.close();
            closed++;
        }
        return closed;
    }

    /**
     * Passive health ({@code observe}): live traffic's verdict on this server. Free when the server
     * is not observed; when {@code error-limit} errors in a row trigger {@code on-error}, the
     * server's health checker is told (it refreshes the backend, logs, and checks again soon).
     */
    public void observe(ServerObserve.Event event) {
        if (!observed || event == null) {
            return;
        }
        ServerState.Observed triggered = state.observed(event);
        java.util.function.Consumer<ServerState.Observed> listener = observedListener;
        if (triggered != null && listener != null) {
            listener.accept(triggered);
        }
    }

    /** Who acts on a triggered {@code on-error}: this server's health checker, or null. */
    public void onObserved(java.util.function.Consumer<ServerState.Observed> listener) {
        this.observedListener = listener;
    }

    public long connectFailures() {
        return connectFailures.sum();
    }

    /**
     * An idle pooled connection of the calling event loop that is still open, or {@code null}.
     * Connections parked before the server last stopped ({@link #dropIdle}) are closed here instead.
     */
    public Channel pollIdle() {
        return pollIdle(false);
    }

    /**
     * As {@link #pollIdle()}; with {@code provenOnly}, only a connection that already served a second
     * request ({@code http-reuse aggressive}: a first request may take only those), the others stay parked.
     */
    public Channel pollIdle(boolean provenOnly) {
        return pollIdle(provenOnly ? PROVEN : null);
    }

    /**
     * An idle connection whose last client connection has ended ({@link #sessionEnded}): what a
     * session's first request may take under {@code http-reuse safe}. HAProxy keeps a connection
     * with the session that used it while that session lives, and lets any first request take it
     * once the session is gone (one-request sessions share a handful of server connections).
     */
    public Channel pollIdleOfEndedSession() {
        return pollIdle(SESSION_ENDED);
    }

    /** The client connection that parked {@code channel} last has ended. */
    public static void sessionEnded(Channel channel) {
        if (channel.attr(IDLE_GENERATION).get() != null) {
            channel.attr(SESSION_ENDED).set(Boolean.TRUE);
        }
    }

    private Channel pollIdle(AttributeKey<Boolean> required) {
        ArrayDeque<Channel> pool = idle.get();
        int current = idleGeneration;
        java.util.Iterator<Channel> newestFirst = pool.descendingIterator();
        while (newestFirst.hasNext()) {
            Channel channel = newestFirst.next();
            Integer parkedIn = channel.attr(IDLE_GENERATION).get();
            boolean stale = parkedIn == null || parkedIn != current || !channel.isActive();
            if (!stale && required != null && channel.attr(required).get() == null) {
                continue;
            }
            newestFirst.remove();
            leftPool(channel);
            if (stale) {
                channel.close();
            } else {
                return channel;
            }
        }
        return null;
    }

    /** Parks a kept-alive connection on the calling event loop; it leaves the pool when it closes. */
    public void offerIdle(Channel channel) {
        if (!offerIdle(channel, false)) {
            channel.close();
        }
    }

    /**
     * Parks a kept-alive connection on the calling event loop unless {@code pool-max-conn} is reached or the
     * server keeps no idle connection; false when the caller must close it. {@code proven}: it served a
     * second request already. Every {@code pool-purge-delay} half of this loop's idle connections close.
     * The limit is read without a lock (no lock on the request path): loops parking at the same instant may
     * each pass it once.
     */
    public boolean offerIdle(Channel channel, boolean proven) {
        dev.sluice.balancer.runtime.ServerConnections settings = plan.connections();
        int max = settings.poolMaxConn();
        if (settings.keepsNoIdle() || (max != dev.sluice.balancer.runtime.ServerConnections.UNLIMITED
                && idleCount.get() >= max) || idle.get().size() >= MAX_IDLE_PER_LOOP) {
            return false;
        }
        idleCount.incrementAndGet();
        channel.attr(IDLE_GENERATION).set(idleGeneration);
        if (proven) {
            channel.attr(PROVEN).set(Boolean.TRUE);
        }
        ArrayDeque<Channel> pool = idle.get();
        pool.addLast(channel);
        boolean[] scheduled = sweepScheduled.get();
        if (!scheduled[0]) {
            scheduled[0] = true;
            scheduleSweep(channel.eventLoop(), pool, scheduled);
        }
        return true;
    }

    private void scheduleSweep(io.netty.channel.EventLoop loop, ArrayDeque<Channel> pool, boolean[] scheduled) {
        long delay = plan.connections().poolPurgeDelay().toNanos();
        loop.schedule(() -> {
            // HAProxy's pool-purge-delay: half of the idle connections go, the least recently used first.
            for (int close = (pool.size() + 1) / 2; close > 0; close--) {
                Channel oldest = pool.pollFirst();
                leftPool(oldest);
                oldest.close();
            }
            if (pool.isEmpty()) {
                scheduled[0] = false;
            } else {
                scheduleSweep(loop, pool, scheduled);
            }
        }, delay, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Idle pooled connections of every event loop now. */
    public int idleCount() {
        return idleCount.get();
    }

    /**
     * The server went DOWN or into maintenance: its idle connections must not serve again (HAProxy
     * kills them too). A hung server keeps its old connections open while refusing new ones, and
     * after it recovers a request sent on one would wait for {@code timeout server}. Each event loop
     * closes its own parked connections the next time it looks in the pool; callable from any thread.
     */
    public void dropIdle() {
        IDLE_GENERATION_UPDATER.incrementAndGet(this);
    }

    /**
     * Takes over what a reload must not lose from {@code previous}, the server of the same name
     * in the same backend of the configuration being replaced: the connect-failure count and the
     * live state ({@link ServerState#carryOver}: up/down, admin state, runtime weight). Not
     * carried: the busy count and idle connections, which stay with the previous configuration's
     * connections until they finish.
     */
    public void carryOver(Server previous) {
        connectFailures.add(previous.connectFailures());
        // A name resolved at run time keeps what DNS found last, until the new configuration's first answer;
        // first, so that the live state carried next (up/down, health) is not reset by leaving maintenance.
        var resolution = plan.resolution();
        var before = previous.plan().resolution();
        if (resolution.dynamic() && before.dynamic() && resolution.fqdn().equals(before.fqdn())
                && plan.address().getPort() == previous.plan().address().getPort()) {
            address = previous.address();
            state.setResolutionMaint(previous.state().resolutionMaint());
        }
        state.carryOver(previous.state());
    }

    /** Closes the idle pooled connections of the calling event loop (a retired configuration's). */
    public void closeIdleHere() {
        if (!idle.isSet()) {
            return;
        }
        ArrayDeque<Channel> pool = idle.get();
        Channel channel;
        while ((channel = pool.pollLast()) != null) {
            leftPool(channel);
            channel.close();
        }
    }

    /**
     * A connection left this loop's pool: it is counted out and unmarked, so that its close does not
     * look for it in the pool (a purge closes half a pool at once: each close must not scan it).
     */
    private void leftPool(Channel channel) {
        idleCount.decrementAndGet();
        channel.attr(IDLE_GENERATION).set(null);
        channel.attr(SESSION_ENDED).set(null); // the session that takes it owns it now
    }

    /** Removes a connection that closed while parked (called on its own event loop). */
    public void forgetIdle(Channel channel) {
        if (channel.attr(IDLE_GENERATION).get() != null && idle.get().remove(channel)) {
            leftPool(channel);
        }
    }

    /** This server's figures for the stats page, CSV and exporter (issue 9). */
    public dev.sluice.balancer.stats.Counters counters() {
        return counters;
    }
}
