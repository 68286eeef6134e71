package dev.sluice.balancer.backend;

import dev.sluice.balancer.lb.ServerLoad;
import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
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
    private final ServerPlan plan;
    private final Runnable onFree;
    private final AtomicInteger busy = new AtomicInteger();
    private final LongAdder connectFailures = new LongAdder();
    private final FastThreadLocal<ArrayDeque<Channel>> idle = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Channel> initialValue() {
            return new ArrayDeque<>();
        }
    };

    /** @param onFree told each time a request slot is given back (wakes queued requests) */
    public Server(ServerPlan plan, Runnable onFree) {
        this.plan = plan;
        this.onFree = onFree;
    }

    public ServerPlan plan() {
        return plan;
    }

    public String name() {
        return plan.name();
    }

    /** Down for traffic: {@code disabled} (health checks will add to this). */
    public boolean usable() {
        return !plan.disabled() && plan.weight() > 0;
    }

    public boolean full() {
        return plan.maxconn() > 0 && busy.get() >= plan.maxconn();
    }

    /** Takes a request slot; false if {@code maxconn} is reached. */
    public boolean tryTake() {
        if (plan.maxconn() == 0) {
            busy.incrementAndGet();
            return true;
        }
        while (true) {
            int now = busy.get();
            if (now >= plan.maxconn()) {
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

    /** Requests wait in the backend's queue, never in a server's own (so none count here). */
    @Override
    public int queued() {
        return 0;
    }

    @Override
    public int maxConnections() {
        return plan.maxconn();
    }

    public void connectFailed() {
        connectFailures.increment();
    }

    public long connectFailures() {
        return connectFailures.sum();
    }

    /** An idle pooled connection of the calling event loop that is still open, or {@code null}. */
    public Channel pollIdle() {
        ArrayDeque<Channel> pool = idle.get();
        Channel channel;
        while ((channel = pool.pollLast()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Parks a kept-alive connection on the calling event loop; it leaves the pool when it closes. */
    public void offerIdle(Channel channel) {
        ArrayDeque<Channel> pool = idle.get();
        pool.addLast(channel);
    }

    /**
     * Takes over what a reload must not lose from {@code previous}, the server of the same name
     * in the same backend of the configuration being replaced. Today that is the connect-failure
     * count; live state added later (health and admin state, runtime weight, rise/fall counters)
     * belongs here too. Not carried: the busy count and idle connections, which stay with the
     * previous configuration's connections until they finish.
     */
    public void carryOver(Server previous) {
        connectFailures.add(previous.connectFailures());
    }

    /** Closes the idle pooled connections of the calling event loop (a retired configuration's). */
    public void closeIdleHere() {
        if (!idle.isSet()) {
            return;
        }
        ArrayDeque<Channel> pool = idle.get();
        Channel channel;
        while ((channel = pool.pollLast()) != null) {
            channel.close();
        }
    }

    /** Removes a connection that closed while parked (called on its own event loop). */
    public void forgetIdle(Channel channel) {
        idle.get().remove(channel);
    }
}
